def log = new File(basedir, 'build.log').text
assert log.contains('Skipping TensorFlow Lite conversion')
assert log.contains('Skipping TensorFlow Lite validation')
assert !new File(basedir, 'target/generated-resources/tflite/rnet.tflite').exists()
assert !new File(basedir, 'target/tflite-reports').exists()
return true

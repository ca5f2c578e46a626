def log = new File(basedir, 'build.log').text
assert log.contains('tflite:convert')
assert log.contains('tflite:validate')
assert log.contains('tflite:help')
assert log.contains('tflite.failOnDrift')
return true

def log = new File(basedir, 'build.log').text
assert log.contains('invalid tflite-maven-plugin configuration (3 problem(s))')
assert log.contains("<source>src/main/models/missing</source> does not exist")
assert log.contains('<quantization>int4</quantization> is not a quantization mode; choose one of [none, dynamic-range, float16, weight-only-int8, int8, int16x8]')
assert log.contains('<name>../escape</name> must be a plain file name')
assert !new File(basedir, 'target/generated-resources/tflite').exists() : 'no work may start on a bad configuration'
return true

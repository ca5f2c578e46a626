def log = new File(basedir, 'build.log').text
assert log.contains("TensorFlow Lite model 'rnet' drifts beyond its tolerance")
assert log =~ /output 'boxes': maxAbsError = [0-9.eE-]+ > tolerance 1\.0E-7/
assert log =~ /output 'score': maxAbsError = [0-9.eE-]+ > tolerance 1\.0E-7/
assert log.contains('report: ') && log.contains('tflite-reports/rnet.json')
assert !new File(basedir, 'target/tight-tolerance-1.0.jar').exists() : 'the build must fail before packaging'
def report = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/tflite-reports/rnet.json'))
assert report.passed == false
return true

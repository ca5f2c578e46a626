import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
assert log.contains("[classifier] drift starts at layer 'dense2/MatMul'") || log.contains("fallback 1: keeping FULLY_CONNECTED 'dense2/MatMul' in float")
assert log.contains("[classifier] fallback 1: keeping FULLY_CONNECTED 'dense2/MatMul' in float")
assert log.contains('now within tolerance')

def report = new JsonSlurper().parse(new File(basedir, 'target/tflite-reports/classifier.json'))
assert report.passed == true
assert report.fallback.firstDriftingLayer == 'dense2/MatMul'
assert report.fallback.keptInFloat == ['dense2/MatMul']
assert report.fallback.sizeBytes > report.fallback.sizeBytesBefore : 'keeping a layer in float costs size'
def html = new File(basedir, 'target/tflite-reports/classifier.html').text
assert html.contains('Before the fallback, drift started at layer <b id="fallback-first-layer">dense2/MatMul</b>')
assert html.contains('Fallback kept <b id="fallback-layers">dense2/MatMul</b>')

// the shipped model is the fallback conversion: dense2 weights stay float32
def zip = new java.util.zip.ZipFile(new File(basedir, 'target/drift-fallback-1.0.jar'))
assert zip.getEntry('classifier.tflite').size == report.sizeBytes
zip.close()
def junit = new File(basedir, 'target/tflite-reports/TEST-tflite-classifier.xml').text
assert junit.contains('<testsuite name="tflite.classifier"') && junit.contains('failures="0"')
return true

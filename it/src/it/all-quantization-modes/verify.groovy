import java.util.zip.ZipFile
import groovy.json.JsonSlurper

def modes = ['none', 'dynamic-range', 'float16', 'weight-only-int8', 'int8', 'int16x8']
def zip = new ZipFile(new File(basedir, 'target/all-quantization-modes-1.0.jar'))
def sizes = [:]
modes.each { mode ->
  def entry = zip.getEntry("rnet-${mode}.tflite")
  assert entry != null : "rnet-${mode}.tflite is not in the jar"
  sizes[mode] = entry.size
  def report = new JsonSlurper().parse(new File(basedir, "target/tflite-reports/rnet-${mode}.json"))
  assert report.quantization == mode
  assert report.passed == true : "rnet-${mode} failed validation: ${report.outputs*.maxAbsError}"
}
zip.close()
assert sizes['dynamic-range'] < 0.30 * sizes['none']
assert sizes['int8'] < 0.30 * sizes['none']
assert sizes['float16'] < 0.55 * sizes['none']
return true

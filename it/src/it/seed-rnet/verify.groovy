import java.util.zip.ZipFile
import groovy.json.JsonSlurper

// The jar ships rnet.tflite.
def jar = new File(basedir, 'target/seed-rnet-1.0.jar')
assert jar.isFile() : "no jar at $jar"
def zip = new ZipFile(jar)
def entry = zip.getEntry('rnet.tflite')
assert entry != null : 'rnet.tflite is not in the jar'
def bytes = zip.getInputStream(entry).bytes
zip.close()
assert new String(bytes, 4, 4, 'US-ASCII') == 'TFL3' : 'not a TensorFlow Lite flatbuffer'

// The report passes, with the required keys, and stays under the tolerance.
def report = new JsonSlurper().parse(new File(basedir, 'target/tflite-reports/rnet.json'))
assert report.model == 'rnet'
assert report.source == 'src/main/models/rnet'
assert report.quantization == 'dynamic-range'
assert report.passed == true
assert report.sizeBytes == bytes.length
assert report.outputs*.name == ['boxes', 'score']
report.outputs.each { o ->
  ['shape', 'maxAbsError', 'meanAbsError', 'rmse', 'cosineSimilarity', 'tolerance', 'passed'].each { k -> assert o.containsKey(k) : "missing $k" }
  assert o.maxAbsError < 0.05
  // no <tolerance> in the POM: the mode's scale-free default, SNR of at least 20 dB, with inputs that move the output
  assert o.tolerance.minSnrDb == 20 && o.tolerance.minReferenceSpread == 1.0E-5 : "default tolerance: ${o.tolerance}"
  assert o.snrDb > 20
}
assert new File(basedir, 'target/tflite-reports/rnet.html').isFile()
assert new File(basedir, 'target/tflite-reports/index.html').text.contains('rnet.html')

// The console shows the drift table.
def log = new File(basedir, 'build.log').text
assert log.contains('[rnet] PASSED')
assert log =~ /\[rnet\]\s+boxes\s+\[1,4\]/
return true

import java.util.zip.ZipFile
import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text

// Release 1.0: no previous file, which is a note and not an error.
assert log.contains('no baseline at target/generated-resources/tflite/flowers-none.tflite: a first release') : 'first-release note'
def first = new JsonSlurper().parse(new File(basedir, 'target/tflite-reports/flowers-1.0.json'))
assert first.passed == true
assert first.baseline.note.contains('a first release')

// Release 2.0: gated against the 1.0 file on the same inputs.
def report = new JsonSlurper().parse(new File(basedir, 'target/tflite-reports/flowers-2.0.json'))
assert report.passed == true
assert report.quantization == 'dynamic-range'
def baseline = report.baseline
assert baseline.file == 'target/generated-resources/tflite/flowers-1.0.tflite'
assert baseline.note == null
assert baseline.passed == true
assert baseline.sizeRatio < 1 : "int8 weights make the file smaller than the float release: ${baseline.sizeRatio}"
assert baseline.latencyRatio > 0
assert baseline.outputs*.name == ['predictions']
baseline.outputs.each { o ->
  assert o.top1Agreement >= 0.9
  assert o.cosineSimilarity >= 0.99
  assert o.tolerance.minTop1Agreement == 0.9
}
assert log =~ /\[flowers-2\.0\]\s+baseline target\/generated-resources\/tflite\/flowers-1\.0\.tflite: size x/
assert new File(basedir, 'target/tflite-reports/flowers-2.0.html').text.contains('id="baseline"')

// The metadata as the Support Library's MetadataExtractor reads it, in the report.
def m = report.metadata
assert m.name == 'Flower classifier'
assert m.version == '2.0'
assert m.author == 'The flowers team'
assert m.license == 'Apache-2.0'
assert m.inputs[0].colorSpace == 'RGB'
assert m.inputs[0].mean == [127.5]
assert m.inputs[0].std == [127.5]
assert m.outputs[0].labelsFile == 'flowers-labels.txt'
assert m.outputs[0].labels == ['daisy', 'dandelion', 'roses', 'sunflowers', 'tulips']
assert report.labeledOutputs[0].firstSamples.size() == 5
report.labeledOutputs[0].firstSamples.each { s -> assert m.outputs[0].labels.contains(s.candidate) }

// The jar ships the file; the file is also a zip holding the labels, byte for byte.
def jar = new ZipFile(new File(basedir, 'target/release-gate-1.0.jar'))
def entry = jar.getEntry('flowers-2.0.tflite')
assert entry != null : 'flowers-2.0.tflite is not in the jar'
def bytes = jar.getInputStream(entry).bytes
jar.close()
assert new String(bytes, 4, 4, 'US-ASCII') == 'TFL3'
def copy = File.createTempFile('flowers', '.tflite')
copy.bytes = bytes
def packed = new ZipFile(copy)
assert packed.getInputStream(packed.getEntry('flowers-labels.txt')).bytes == new File(basedir, 'src/main/models/flowers-labels.txt').bytes
packed.close()
copy.delete()
return true

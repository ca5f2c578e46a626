import groovy.json.JsonSlurper

def log = new File(basedir, 'build.log').text
def runs = log.split(/(?=\[INFO\] Scanning for projects)/).findAll { it =~ /tflite(-maven-plugin)?:[^:\s]+:convert/ }
assert runs.size() == 2 : "expected two builds, found ${runs.size()}"

// Run 1 (release 1.0) installs the jar. On a fresh repository 1.0 is not there yet: a note, not an error (a repository
// kept from an earlier run of this IT already has it, which is fine too).
assert runs[0].contains('BUILD SUCCESS')

// Run 2 (release 2.0): the 1.0 jar comes from the repository and its flowers.tflite is the baseline.
assert runs[1].contains('BUILD SUCCESS')
def report = new JsonSlurper().parse(new File(basedir, 'target/tflite-reports/flowers.json'))
assert report.quantization == 'dynamic-range'
def baseline = report.baseline
assert baseline.note == null : "the 1.0 release was found: ${baseline.note}"
assert baseline.file.contains('dev.tflite.it:release-gate-repository') && baseline.file.contains('flowers.tflite') : baseline.file
assert baseline.passed == true
assert baseline.sizeRatio < 1 : "dynamic-range against the float 1.0 release: ${baseline.sizeRatio}"
baseline.outputs.each { o -> assert o.top1Agreement >= 0.9 && o.cosineSimilarity >= 0.99 }
return true

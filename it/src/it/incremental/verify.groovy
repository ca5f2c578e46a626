def log = new File(basedir, 'build.log').text
// invoker appends both runs to build.log: the first converts, the second skips both steps
assert log.count('[rnet] dynamic-range: rnet.tflite, ') == 1 : 'the model must be converted exactly once'
assert log.contains('[rnet] up to date, conversion skipped')
assert log.contains('[rnet] PASSED (up to date: converted model, original and settings unchanged')
assert log.count('[rnet] PASSED') == 2
def zip = new java.util.zip.ZipFile(new File(basedir, 'target/incremental-1.0.jar'))
assert zip.getEntry('rnet.tflite') != null : 'a skipped model still ships'
zip.close()
return true

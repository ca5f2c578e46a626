def log = new File(basedir, 'build.log').text
assert log.contains('[rnet] dynamic-range: rnet.tflite, ')
assert log.contains('[rnet] float16: rnet.tflite, ')
['module-a', 'module-b'].each { m ->
  def report = new groovy.json.JsonSlurper().parse(new File(basedir, "${m}/target/tflite-reports/rnet.json"))
  assert report.passed == true
  def zip = new java.util.zip.ZipFile(new File(basedir, "${m}/target/${m}-1.0.jar"))
  assert zip.getEntry('rnet.tflite') != null
  zip.close()
}
return true

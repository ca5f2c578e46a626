import groovy.json.JsonSlurper

def names = ['mobilenet_v2_style', 'resnet_style', 'unet_style', 'ds_cnn_keyword_spotting', 'mlp_autoencoder', 'efficientnet_block',
             'conv1d_sequence', 'text_classifier', 'digit_classifier', 'defect_net', 'digits_mlp']
def zip = new java.util.zip.ZipFile(new File(basedir, 'target/keras-models-1.0.jar'))
names.each { n ->
  assert zip.getEntry("${n}.tflite") != null : "${n}.tflite is not in the jar"
  def report = new JsonSlurper().parse(new File(basedir, "target/tflite-reports/${n}.json"))
  assert report.passed == true : "${n}: ${report.outputs*.maxAbsError}"
}
zip.close()
def mlp = new JsonSlurper().parse(new File(basedir, 'target/tflite-reports/digits_mlp.json'))
assert mlp.batchSizes == [1, 4]
return true

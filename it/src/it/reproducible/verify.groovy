def first = new File(basedir, 'target')
def second = new File(basedir, 'target/second-build')
def same = { File a, File b -> assert a.bytes == b.bytes : "${a} and ${b} differ" }
same(new File(first, 'generated-resources/tflite/rnet.tflite'), new File(second, 'tflite/rnet.tflite'))
['rnet.json', 'rnet.html', 'index.html'].each { same(new File(first, "tflite-reports/${it}"), new File(second, "reports/${it}")) }
assert !new File(first, 'tflite-reports/rnet.json').text.contains(basedir.absolutePath) : 'no absolute paths in reports'
return true

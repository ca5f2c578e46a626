def log = new File(basedir, 'build.log').text
// Maven 3.8 names the goal tflite-maven-plugin:…:convert, Maven 3.9 by its prefix, tflite:…:convert
def runs = log.split(/(?=\[INFO\] Scanning for projects)/).findAll { it =~ /tflite(-maven-plugin)?:[^:\s]+:convert/ }
assert runs.size() == 3 : "expected three builds, found ${runs.size()}"
// 1: converts and validates
assert runs[0].contains('[rnet] dynamic-range: rnet.tflite, ') && runs[0].contains('drift vs TensorFlow')
// 2: tolerance changed: conversion skipped, validation runs again
assert runs[1].contains('[rnet] up to date, conversion skipped') && runs[1].contains('drift vs TensorFlow')
// 3: quantization changed: converted again
assert runs[2].contains('[rnet] float16: rnet.tflite, ') && runs[2].contains('drift vs TensorFlow')
def report = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/tflite-reports/rnet.json'))
assert report.quantization == 'float16'
assert report.outputs[0].tolerance.maxAbsError == 0.04
return true

package dev.tflite.convert.importer.keras;

/** One tensor of a Keras graph: output {@code tensor} of call {@code node} of layer {@code layer}. */
record TensorRef(String layer, int node, int tensor) {}

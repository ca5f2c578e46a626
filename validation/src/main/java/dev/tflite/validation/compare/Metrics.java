package dev.tflite.validation.compare;

/** Drift of one output over all samples. */
public record Metrics(double maxAbsError, double meanAbsError, double rmse, double cosineSimilarity) {}

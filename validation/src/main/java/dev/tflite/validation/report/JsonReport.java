package dev.tflite.validation.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** The JSON form of a report: stable key order, pretty-printed, trailing newline. */
public final class JsonReport {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .serializationInclusion(JsonInclude.Include.ALWAYS)
      .build();

  private JsonReport() {}

  public static String toJson(ValidationReport report) {
    try {
      return MAPPER.writeValueAsString(report) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise the report of " + report.model(), e);
    }
  }

  public static ValidationReport fromJson(String json) throws IOException {
    return MAPPER.readValue(json, ValidationReport.class);
  }
}

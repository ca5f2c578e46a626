package dev.tflite.pipeline;

import dev.tflite.pipeline.incremental.BuildCache;
import java.nio.file.Path;

/**
 * Where a run keeps its files and what identifies the code that made them.
 *
 * @param workDirectory the converter's debug artifacts, read by validation to localize drift per layer (not shipped)
 * @param reportDirectory where drift reports go
 * @param cache the incremental cache, or null to always do the work
 * @param toolVersion what identifies the plugin's or CLI's code in fingerprints
 */
public record Workspace(Path workDirectory, Path reportDirectory, BuildCache cache, String toolVersion) {
  public boolean incremental() {
    return cache != null;
  }
}

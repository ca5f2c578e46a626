package dev.tflite.maven;

import dev.tflite.convert.write.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;

/**
 * Finds a model's previous release by Maven coordinates in the project's repositories, through Maven's own
 * repository system (the user's settings, mirrors and credentials apply), and puts its {@code .tflite} where the
 * pipeline can read it. An artifact no repository has is a first release: the pipeline notes it, nothing fails.
 */
final class BaselineArtifacts {
  /** Where a resolved baseline was put, and how reports name it. */
  record Resolved(Path file, String label) {}

  private final RepositorySystem system;
  private final RepositorySystemSession session;
  private final List<RemoteRepository> repositories;
  private final Path directory;
  private final Log log;

  BaselineArtifacts(RepositorySystem system, RepositorySystemSession session, List<RemoteRepository> repositories, Path directory, Log log) {
    this.system = system;
    this.session = session;
    this.repositories = repositories;
    this.directory = directory;
    this.log = log;
  }

  /** The baseline of {@code model}; when not found, a path that does not exist (the pipeline's first-release note). */
  Resolved resolve(String model, ModelConfig.BaselineArtifact a) throws MojoFailureException {
    if (a.groupId == null || a.artifactId == null || a.version == null) {
      throw new MojoFailureException("<models>/<model> '" + model + "': <baselineArtifact> needs a <groupId>, an <artifactId> and a <version>");
    }
    String entry = a.entry != null ? a.entry : model + ".tflite";
    boolean isJar = !"tflite".equals(a.type);
    String label = a.coordinates() + (isJar ? "!" + entry : "");
    Path target = directory.resolve(model).resolve(a.artifactId + "-" + a.version + ".tflite");
    java.io.File file;
    try {
      file = system.resolveArtifact(session, new ArtifactRequest(new DefaultArtifact(a.groupId, a.artifactId, a.classifier, a.type, a.version),
          repositories, null)).getArtifact().getFile();
    } catch (ArtifactResolutionException e) {
      log.info("[" + model + "] baseline " + a.coordinates() + " is in none of the project's repositories (" + e.getMessage() + ")");
      return new Resolved(directory.resolve(model).resolve("not-found.tflite"), label);
    }
    try {
      if (!isJar) {
        AtomicFiles.write(target, java.nio.file.Files.readAllBytes(file.toPath()));
        return new Resolved(target, label);
      }
      try (ZipFile jar = new ZipFile(file)) {
        ZipEntry e = jar.getEntry(entry);
        if (e == null) {
          throw new MojoFailureException("<models>/<model> '" + model + "': the baseline " + a.coordinates() + " has no " + entry
              + "; set <baselineArtifact>/<entry> to the .tflite's path inside it");
        }
        try (InputStream in = jar.getInputStream(e)) {
          AtomicFiles.write(target, in.readAllBytes());
        }
      }
      return new Resolved(target, label);
    } catch (IOException e) {
      throw new MojoFailureException("<models>/<model> '" + model + "': cannot read the baseline " + a.coordinates() + " (" + file + "): "
          + e.getMessage());
    }
  }
}

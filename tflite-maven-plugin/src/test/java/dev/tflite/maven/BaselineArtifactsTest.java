package dev.tflite.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code <baselineArtifact>}: the previous release's jar is asked of Maven's repository system by its coordinates and
 * its {@code <name>.tflite} is taken out; an artifact no repository has is a first release. The repository system is
 * an in-memory one that knows one jar (the real one needs a Maven session).
 */
class BaselineArtifactsTest {
  @TempDir
  Path dir;

  /** A repository system that has {@code artifacts} (coordinates "g:a:type:version" → file) and nothing else. */
  static RepositorySystem knowing(Map<String, File> artifacts) {
    return (RepositorySystem) Proxy.newProxyInstance(BaselineArtifactsTest.class.getClassLoader(), new Class<?>[] {RepositorySystem.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("resolveArtifact")) {
            throw new UnsupportedOperationException(method.getName());
          }
          ArtifactRequest request = (ArtifactRequest) args[1];
          var a = request.getArtifact();
          File file = artifacts.get(a.getGroupId() + ":" + a.getArtifactId() + ":" + a.getExtension() + ":" + a.getVersion());
          ArtifactResult result = new ArtifactResult(request);
          if (file == null) {
            throw new ArtifactResolutionException(List.of(result), "Could not find artifact " + a);
          }
          result.setArtifact(a.setFile(file));
          return result;
        });
  }

  static ModelConfig.BaselineArtifact coordinates(String version) {
    ModelConfig.BaselineArtifact a = new ModelConfig.BaselineArtifact();
    a.groupId = "com.example";
    a.artifactId = "flowers-app";
    a.version = version;
    return a;
  }

  @Test
  void takesTheModelOutOfThePreviousReleasesJar() throws Exception {
    byte[] tflite = {0, 0, 0, 0, 'T', 'F', 'L', '3', 42};
    Path jar = dir.resolve("flowers-app-1.0.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      out.putNextEntry(new JarEntry("flowers.tflite"));
      out.write(tflite);
      out.closeEntry();
    }
    BaselineArtifacts artifacts = new BaselineArtifacts(knowing(Map.of("com.example:flowers-app:jar:1.0", jar.toFile())), null, List.of(),
        dir.resolve("baselines"), new SystemStreamLog());
    BaselineArtifacts.Resolved r = artifacts.resolve("flowers", coordinates("1.0"));
    assertArrayEquals(tflite, Files.readAllBytes(r.file()));
    assertEquals("com.example:flowers-app:jar:1.0!flowers.tflite", r.label());

    // not in any repository: a path that does not exist, which the pipeline reports as a first release
    BaselineArtifacts.Resolved missing = artifacts.resolve("flowers", coordinates("0.9"));
    assertFalse(Files.exists(missing.file()));
    assertEquals("com.example:flowers-app:jar:0.9!flowers.tflite", missing.label());

    // a jar without the model is a configuration error naming the element to set
    ModelConfig.BaselineArtifact wrongEntry = coordinates("1.0");
    wrongEntry.entry = "models/flowers.tflite";
    MojoFailureException e = assertThrows(MojoFailureException.class, () -> artifacts.resolve("flowers", wrongEntry));
    assertTrue(e.getMessage().contains("has no models/flowers.tflite; set <baselineArtifact>/<entry>"), e.getMessage());
  }
}

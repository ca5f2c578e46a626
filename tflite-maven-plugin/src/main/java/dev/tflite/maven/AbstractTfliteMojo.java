package dev.tflite.maven;

import dev.tflite.pipeline.ConfigurationProblems;
import dev.tflite.pipeline.ModelLog;
import dev.tflite.pipeline.ModelPlan;
import dev.tflite.pipeline.ModelPlanner;
import dev.tflite.pipeline.Workspace;
import dev.tflite.pipeline.incremental.BuildCache;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import dev.tflite.pipeline.ModelSpec;
import org.apache.maven.project.MavenProject;

/** Configuration shared by the goals: the models, where converted files go, parallelism and incremental builds. */
abstract class AbstractTfliteMojo extends AbstractMojo {
  /** The models to convert and validate; see {@link ModelConfig}. */
  @Parameter(required = true)
  protected List<ModelConfig> models;

  /** Where {@code <name>.tflite} files are written; registered as a resource directory so they ship in the jar. */
  @Parameter(property = "tflite.outputDirectory", defaultValue = "${project.build.directory}/generated-resources/tflite")
  protected File outputDirectory;

  /** Skips every goal of this plugin. */
  @Parameter(property = "tflite.skip", defaultValue = "false")
  protected boolean skip;

  /** How many models are processed at once; default: the number of cores. */
  @Parameter(property = "tflite.threads")
  protected Integer threads;

  /**
   * Skip a model whose inputs (source files, configuration, calibration data, plugin version) have not changed since
   * its last successful run; set false to always redo the work.
   */
  @Parameter(property = "tflite.incremental", defaultValue = "true")
  protected boolean incremental;

  /** Where fingerprints of successful steps are kept, per execution. */
  @Parameter(defaultValue = "${project.build.directory}/tflite-cache", readonly = true)
  protected File cacheDirectory;

  /** Debug artifacts of conversion that validation reads to localize drift per layer (not shipped). */
  @Parameter(defaultValue = "${project.build.directory}/tflite-work", readonly = true)
  protected File workDirectory;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  @Parameter(defaultValue = "${mojoExecution}", readonly = true, required = true)
  protected MojoExecution mojoExecution;

  protected List<ModelPlan> plans() throws MojoFailureException {
    try {
      List<ModelSpec> specs = null;
      if (models != null) {
        specs = new java.util.ArrayList<>();
        for (ModelConfig m : models) {
          specs.add(spec(m));
        }
      }
      return new ModelPlanner(new MavenSpelling(), "tflite-maven-plugin").plan(specs, project.getBasedir().toPath(), outputDirectory.toPath());
    } catch (ConfigurationProblems e) {
      getLog().error(e.getMessage());
      throw new MojoFailureException(e.getMessage());
    }
  }

  /** One {@code <model>} in the pipeline's terms; the validate goal also resolves its baseline artifact here. */
  protected ModelSpec spec(ModelConfig model) throws MojoFailureException {
    return model.toSpec();
  }

  /** Where this execution keeps its work, reports and cache. */
  protected Workspace workspace(Path reportDirectory) {
    return new Workspace(workDirectory.toPath(), reportDirectory, incremental ? cache() : null, pluginVersion());
  }

  /** The Maven log as a sink for the pipeline's per-model lines. */
  protected ModelLog.Sink mavenLog() {
    return new ModelLog.Sink() {
      public void info(String text) {
        getLog().info(text);
      }

      public void warn(String text) {
        getLog().warn(text);
      }

      public void error(String text) {
        getLog().error(text);
      }
    };
  }

  protected int threadCount() {
    return threads == null || threads < 1 ? Runtime.getRuntime().availableProcessors() : threads;
  }

  protected BuildCache cache() {
    return new BuildCache(cacheDirectory.toPath().resolve(mojoExecution.getExecutionId()));
  }

  /**
   * What identifies the plugin's code in the incremental cache: its version, and for a SNAPSHOT also the size and time of
   * this project's jars it runs from (a rebuilt SNAPSHOT keeps its version but may convert or validate differently).
   */
  protected String pluginVersion() {
    var descriptor = mojoExecution.getMojoDescriptor().getPluginDescriptor();
    String version = descriptor.getVersion();
    if (!version.endsWith("-SNAPSHOT") || descriptor.getArtifacts() == null) {
      return version;
    }
    StringBuilder identity = new StringBuilder(version);
    descriptor.getArtifacts().stream()
        .filter(a -> a.getGroupId().equals(descriptor.getGroupId()) && a.getFile() != null)
        .sorted(java.util.Comparator.comparing(a -> a.getArtifactId()))
        .forEach(a -> identity.append(';').append(a.getArtifactId()).append('=').append(a.getFile().length()).append('@')
            .append(a.getFile().lastModified()));
    return identity.toString();
  }
}

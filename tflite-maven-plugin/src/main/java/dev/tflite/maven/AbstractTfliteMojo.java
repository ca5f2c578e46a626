package dev.tflite.maven;

import java.io.File;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** Configuration shared by the goals: the models and where converted files go. */
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

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  protected MavenProject project;

  protected List<ModelPlan> plans() throws MojoFailureException {
    try {
      return ModelPlan.of(models, project.getBasedir(), outputDirectory);
    } catch (ModelPlan.ConfigurationProblems e) {
      getLog().error(e.getMessage());
      throw new MojoFailureException(e.getMessage());
    }
  }
}

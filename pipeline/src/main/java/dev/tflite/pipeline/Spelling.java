package dev.tflite.pipeline;

/**
 * How a front end writes a setting in its messages. The pipeline's messages say what is wrong and what to do; the
 * plugin and the CLI each render the setting in the form their users type ({@code <samples>0</samples>} or
 * {@code --samples 0}).
 */
public interface Spelling {
  /** Where the model is configured, e.g. {@code <models>/<model>[2] 'rnet'} or {@code model 'rnet'}. */
  String model(int index, String name);

  /** The setting's name alone, e.g. {@code <tolerance>} or {@code --max-abs-error}. */
  String setting(Setting setting);

  /**
   * The setting with a value, e.g. {@code <inputShapes>/<x>1,?,3</x>} or {@code --input-shape x=1,?,3}; {@code key} is the
   * entry of a keyed setting (an input or output name), else null.
   */
  String value(Setting setting, String key, Object value);

  default String value(Setting setting, Object value) {
    return value(setting, null, value);
  }
}

package dev.tflite.validation.report;

import java.io.IOException;
import org.htmlunit.WebConnection;
import org.htmlunit.WebRequest;
import org.htmlunit.WebResponse;

/** A browser connection that serves only the one report file and fails on any other request (a network fetch). */
final class FileOnlyConnection implements WebConnection {
  private final WebConnection files;
  private final String allowed;

  FileOnlyConnection(WebConnection files, String allowed) {
    this.files = files;
    this.allowed = allowed;
  }

  @Override
  public WebResponse getResponse(WebRequest request) throws IOException {
    String url = request.getUrl().toString();
    if (!url.equals(allowed)) {
      throw new AssertionError("the report asked for " + url + "; a stand-alone report must load nothing else");
    }
    return files.getResponse(request);
  }

  @Override
  public void close() throws IOException {
    files.close();
  }
}

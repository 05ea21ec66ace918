package io.shoal.cli.format.template;

/** A template that does not parse, or fails on the data, in Go's words. */
public final class TemplateException extends RuntimeException {
  public TemplateException(String message) {
    super(message);
  }
}

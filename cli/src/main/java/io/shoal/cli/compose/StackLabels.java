package io.shoal.cli.compose;

/** The labels by which Docker finds a stack's objects, the same here so habits and tools carry over. */
public final class StackLabels {
  /** On every service, network, secret and config of the stack: its name. */
  public static final String NAMESPACE = "com.docker.stack.namespace";
  /** On a service: the image as the file names it (before control pins its digest). */
  public static final String IMAGE = "com.docker.stack.image";
  /** On a service: a digest of its definition in the file, so a redeploy updates only what changed. */
  public static final String DEFINITION = "io.shoal.stack.definition";

  private StackLabels() {}
}

package io.shoal.agent.files;

import io.shoal.agent.exec.EngineException;

/** A task's files could not be written or removed; the task is rejected with this message. */
final class FilesException extends EngineException {
  FilesException(String message) {
    super(message);
  }

  FilesException(String message, Throwable cause) {
    super(message, cause);
  }
}

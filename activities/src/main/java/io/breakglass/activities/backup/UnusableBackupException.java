package io.breakglass.activities.backup;

/**
 * A backup that cannot be trusted or read: missing, its checksum does not match, its manifest
 * contradicts it, or its content is not in the expected layout. The message names the backup id,
 * never content.
 */
final class UnusableBackupException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UnusableBackupException(String message) {
    super(message, null, false, false);
  }
}

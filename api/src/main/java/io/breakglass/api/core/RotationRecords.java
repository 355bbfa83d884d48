package io.breakglass.api.core;

import io.breakglass.activities.audit.RotationRow;
import io.breakglass.api.wire.RotationRecord;

/**
 * The audit store's rotation rows as the API answers them: the store may change, the API does not.
 */
final class RotationRecords {

  private RotationRecords() {}

  static RotationRecord of(RotationRow row) {
    return new RotationRecord(
        row.rotationId(),
        row.workflowId(),
        row.kind(),
        row.initiator(),
        row.reason(),
        row.secrets(),
        row.state(),
        row.startedAt(),
        row.endedAt(),
        row.approvers(),
        row.validations(),
        row.itemsReencrypted(),
        row.nextRotationDue(),
        row.failure());
  }
}

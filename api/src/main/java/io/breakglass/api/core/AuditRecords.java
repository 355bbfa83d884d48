package io.breakglass.api.core;

import io.breakglass.activities.audit.AuditEntry;
import io.breakglass.activities.audit.AuditLog;
import io.breakglass.activities.audit.RotationHistory;
import io.breakglass.api.wire.AuditRecord;
import jakarta.ws.rs.BadRequestException;
import java.util.List;

/** The audit log of API calls as the API answers it: newest first, at most a bounded page. */
public final class AuditRecords {

  private final AuditLog audit;

  public AuditRecords(AuditLog audit) {
    this.audit = audit;
  }

  /**
   * The newest {@code limit} entries; 400 unless it is between 1 and {@value
   * RotationHistory#MAX_LIMIT}.
   */
  public List<AuditRecord> recent(int limit) {
    if (limit < 1 || limit > RotationHistory.MAX_LIMIT) {
      throw new BadRequestException("limit must be between 1 and " + RotationHistory.MAX_LIMIT);
    }
    return audit.recent(limit).stream().map(AuditRecords::wire).toList();
  }

  private static AuditRecord wire(AuditEntry entry) {
    return new AuditRecord(
        entry.id(),
        entry.at(),
        entry.actor(),
        entry.action(),
        entry.target(),
        entry.result(),
        entry.detail());
  }
}

package io.breakglass.api.core;

import io.breakglass.workflows.messages.queries.ApprovalView;
import io.breakglass.workflows.messages.queries.CompensationView;
import io.breakglass.workflows.messages.queries.DataSetProgress;
import io.breakglass.workflows.messages.queries.GateView;
import io.breakglass.workflows.messages.values.NewVersion;
import io.breakglass.workflows.messages.values.TimelineEntry;
import java.util.List;

/** An {@link IncidentReport} as Markdown, for the incident ticket. */
public final class ReportMarkdown {

  private ReportMarkdown() {}

  public static String render(IncidentReport report) {
    StringBuilder md = new StringBuilder();
    md.append("# Incident report: rotation ").append(report.rotationId()).append("\n\n");
    field(md, "Kind", report.kind());
    field(md, "State", report.state());
    field(
        md,
        "Initiator",
        report.initiator() == null || report.initiatorVerification() == null
            ? report.initiator()
            : report.initiator() + " (" + report.initiatorVerification() + ")");
    field(md, "Reason", report.reason());
    field(md, "Secrets", String.join(", ", report.secrets()));
    field(md, "Started", report.startedAt());
    field(md, "Ended", report.endedAt());
    field(
        md,
        "Approvers",
        report.approvers().isEmpty() ? "none" : String.join(", ", report.approvers()));
    field(md, "Items re-encrypted", report.itemsReencrypted());
    if (report.failure() != null) {
      field(md, "Failure", report.failure());
    }
    md.append("\n## Gates\n\n");
    if (report.gates().isEmpty()) {
      md.append("No gate recorded by the workflow.\n");
    }
    for (GateView gate : report.gates()) {
      md.append("- ")
          .append(gate.gate())
          .append(": ")
          .append(gate.state())
          .append(" (")
          .append(gate.approvals().size())
          .append('/')
          .append(gate.required())
          .append(")\n");
      for (ApprovalView approval : gate.approvals()) {
        md.append("  - approved by ")
            .append(approval.approver())
            .append(
                approval.verification() == null
                    ? ""
                    : approval.verified()
                        ? " (verified: " + approval.verification() + ")"
                        : " (" + approval.verification() + ")")
            .append(" at ")
            .append(approval.at())
            .append(": ")
            .append(cell(approval.comment()))
            .append('\n');
      }
      if (gate.reason() != null) {
        md.append("  - rejected by ")
            .append(gate.decidedBy())
            .append(": ")
            .append(cell(gate.reason()))
            .append('\n');
      }
    }
    md.append("\n## Checks\n\n");
    list(md, report.checks());
    md.append(
        "\n## Items\n\n| data set | planned | done | re-encrypted | under the target | shards |\n|---|---|---|---|---|---|\n");
    for (DataSetProgress p : report.items()) {
      md.append("| ")
          .append(p.dataSet())
          .append(" | ")
          .append(p.itemsPlanned())
          .append(" | ")
          .append(p.itemsDone())
          .append(" | ")
          .append(p.itemsReencrypted())
          .append(" | ")
          .append(p.itemsUnderTarget())
          .append(" | ")
          .append(p.shardsDone())
          .append('/')
          .append(p.shardsTotal())
          .append(" |\n");
    }
    md.append("\n## Versions\n\n");
    list(md, report.versions().stream().map(ReportMarkdown::version).toList());
    md.append("\n## Compensations\n\n");
    list(md, report.compensations().stream().map(ReportMarkdown::compensation).toList());
    md.append(
        "\n## Timeline\n\n| # | phase | outcome | actor | started | ended | detail |\n|---|---|---|---|---|---|---|\n");
    for (TimelineEntry e : report.timeline()) {
      md.append("| ")
          .append(e.seq())
          .append(" | ")
          .append(e.phase())
          .append(" | ")
          .append(e.outcome())
          .append(" | ")
          .append(cell(e.actor()))
          .append(" | ")
          .append(e.startedAt())
          .append(" | ")
          .append(e.endedAt() == null ? "" : e.endedAt())
          .append(" | ")
          .append(cell(e.detail()))
          .append(" |\n");
    }
    return md.toString();
  }

  private static String version(NewVersion v) {
    return v.secret() + ": " + v.versionId() + " replaces " + v.replacedVersionId();
  }

  private static String compensation(CompensationView c) {
    return c.order()
        + ". "
        + c.phase()
        + " "
        + c.description()
        + ": "
        + c.state()
        + (c.error() == null ? "" : " (" + c.error() + ")");
  }

  private static void field(StringBuilder md, String name, Object value) {
    md.append("- **")
        .append(name)
        .append(":** ")
        .append(value == null ? "—" : cell(value.toString()))
        .append('\n');
  }

  private static void list(StringBuilder md, List<String> lines) {
    if (lines.isEmpty()) {
      md.append("None.\n");
    }
    lines.forEach(line -> md.append("- ").append(cell(line)).append('\n'));
  }

  /** Operator text on one line, without breaking a table. */
  private static String cell(String text) {
    return text == null ? "" : text.replace("\r", " ").replace("\n", " ").replace("|", "\\|");
  }
}

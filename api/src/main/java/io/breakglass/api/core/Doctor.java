package io.breakglass.api.core;

import io.breakglass.activities.audit.RotationRow;
import io.breakglass.activities.secrets.Label;
import io.breakglass.activities.secrets.SecretState;
import io.breakglass.activities.secrets.SecretStore;
import io.breakglass.activities.secrets.SecretStoreException;
import io.breakglass.activities.secrets.SecretVersion;
import io.breakglass.activities.secrets.VersionStatus;
import io.breakglass.api.wire.Checkup;
import io.breakglass.api.wire.Checkup.DataSetCheck;
import io.breakglass.api.wire.Checkup.SecretCheck;
import io.breakglass.api.wire.RotationRecord;
import io.breakglass.workflows.messages.values.LeftoverVersion;
import io.breakglass.workflows.messages.values.RotationState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The check behind {@code doctor}: what an interrupted rotation may have left behind, read from the
 * secret store, the rotation records and Temporal, with every finding a human must act on. A record
 * still RUNNING whose workflow has ended is closed as the periodic sweep would close it, and
 * reported as stale. Everything else is only read. Thread-safe.
 */
public final class Doctor {

  private final SecretStore store;
  private final List<String> secrets;
  private final RotationRecordReconciler records;

  /**
   * @param secrets the configured secrets, in the order they are reported
   */
  public Doctor(SecretStore store, List<String> secrets, RotationRecordReconciler records) {
    this.store = store;
    this.secrets = List.copyOf(secrets);
    this.records = records;
  }

  /**
   * Checks the secrets and the rotation records, and adds {@code dataSets} (scanned by the caller,
   * which has them configured) with their findings.
   */
  public Checkup check(List<DataSetCheck> dataSets) {
    List<String> findings = new ArrayList<>();
    List<RotationRecord> inFlight = new ArrayList<>();
    List<RotationRecord> stale = new ArrayList<>();
    checkRecords(inFlight, stale, findings);
    Set<String> rotatingSecrets =
        inFlight.stream()
            .flatMap(r -> r.secrets() == null ? Stream.empty() : r.secrets().stream())
            .collect(Collectors.toSet());
    Set<String> rotationsInFlight =
        inFlight.stream().map(RotationRecord::rotationId).collect(Collectors.toSet());
    List<SecretCheck> secretChecks = new ArrayList<>();
    Map<String, String> currentKeyIds = new LinkedHashMap<>();
    for (String secret : secrets) {
      Optional<SecretState> state = describe(secret, findings);
      if (state.isEmpty()) {
        continue;
      }
      secretChecks.add(
          checkSecret(state.get(), rotatingSecrets.contains(secret), rotationsInFlight, findings));
      state
          .get()
          .labelled(Label.CURRENT)
          .ifPresent(v -> currentKeyIds.put(secret, secret + ":" + v.versionId()));
    }
    for (DataSetCheck dataSet : dataSets) {
      checkDataSet(
          dataSet,
          currentKeyIds.get(dataSet.secret()),
          rotatingSecrets.contains(dataSet.secret()),
          findings);
    }
    return new Checkup(
        List.copyOf(secretChecks),
        List.copyOf(dataSets),
        List.copyOf(inFlight),
        List.copyOf(stale),
        List.copyOf(findings));
  }

  /** Sorts the RUNNING records into in flight and stale; Temporal's silence is a finding. */
  private void checkRecords(
      List<RotationRecord> inFlight, List<RotationRecord> stale, List<String> findings) {
    RotationRecordReconciler.Compared running = records.running();
    for (RotationRow row : running.answered()) {
      if (row.state() == RotationState.RUNNING) {
        inFlight.add(RotationRecords.of(row));
      } else {
        stale.add(RotationRecords.of(row));
        findings.add(
            "rotation "
                + row.rotationId()
                + " was recorded RUNNING, but it ended "
                + row.state()
                + " without its own clean-up ("
                + row.failure()
                + "); its record is closed now: check its secrets' leftovers and its deployments'"
                + " keyrings");
      }
    }
    if (running.unanswered() > 0) {
      findings.add(
          "Temporal did not answer: "
              + running.unanswered()
              + " rotation record(s) still RUNNING could not be checked");
    }
  }

  private Optional<SecretState> describe(String secret, List<String> findings) {
    try {
      return Optional.of(store.describe(secret));
    } catch (SecretStoreException e) {
      findings.add(
          "secret " + secret + ": the secret store did not describe it: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static SecretCheck checkSecret(
      SecretState state, boolean rotating, Set<String> rotationsInFlight, List<String> findings) {
    String secret = state.name();
    Map<String, List<String>> versions = new LinkedHashMap<>();
    for (SecretVersion version : state.versions()) {
      versions.computeIfAbsent(stateOf(version), k -> new ArrayList<>()).add(version.versionId());
    }
    if (state.labelled(Label.CURRENT).isEmpty()) {
      findings.add("secret " + secret + " has no CURRENT version");
    }
    List<String> leftovers = new ArrayList<>();
    for (LeftoverVersion leftover : state.leftovers()) {
      leftovers.add(leftover.describe());
      if (leftover.rotationId() != null && rotationsInFlight.contains(leftover.rotationId())) {
        continue; // the new version of a rotation still running, not a leftover of one that ended
      }
      findings.add(
          "secret "
              + secret
              + ": version "
              + leftover.describe()
              + " is usable but neither CURRENT nor PREVIOUS: revoke it if it may be compromised"
              + " (the next EMERGENCY rotation of "
              + secret
              + " does)");
    }
    Optional<SecretVersion> previous = state.labelled(Label.PREVIOUS);
    if (!rotating && previous.isPresent() && previous.get().status() == VersionStatus.ACTIVE) {
      findings.add(
          "secret "
              + secret
              + ": version "
              + previous.get().versionId()
              + " is PREVIOUS and still usable with no rotation of it in flight (an interrupted"
              + " rotation, or an un-revoke): revoke it if it may be compromised");
    }
    return new SecretCheck(secret, versions, List.copyOf(leftovers));
  }

  /** The first state that applies: a label, else the status (ACTIVE means usable, no label). */
  private static String stateOf(SecretVersion version) {
    for (Label label : List.of(Label.CURRENT, Label.PREVIOUS, Label.PENDING)) {
      if (version.has(label) && version.status() == VersionStatus.ACTIVE) {
        return label.name();
      }
    }
    return version.status().name();
  }

  private static void checkDataSet(
      DataSetCheck dataSet, String currentKeyId, boolean rotating, List<String> findings) {
    if (dataSet.undecryptable() > 0) {
      findings.add(
          "data set "
              + dataSet.dataSet()
              + ": "
              + dataSet.undecryptable()
              + " item(s) decrypt under no version (run verify for their ids)");
    }
    if (rotating || currentKeyId == null) {
      return;
    }
    dataSet.items().entrySet().stream()
        .filter(e -> !e.getKey().equals(currentKeyId) && e.getValue() > 0)
        .forEach(
            e ->
                findings.add(
                    "data set "
                        + dataSet.dataSet()
                        + ": "
                        + e.getValue()
                        + " item(s) under "
                        + e.getKey()
                        + ", not under the CURRENT "
                        + currentKeyId
                        + ", and no rotation of "
                        + dataSet.secret()
                        + " is in flight: an interrupted re-encryption (rotate again)"));
  }
}

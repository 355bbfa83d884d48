package io.breakglass.worker.sample;

/**
 * What every route of the service shares: the loaded keyring, the patient hash, the JSON log and
 * the metrics.
 */
record ServiceState(
    LoadedKeyring keyring, PatientHash patientHash, EventLog log, ServiceMetrics metrics) {}

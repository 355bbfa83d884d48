package io.breakglass.activities.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.breakglass.workflows.messages.values.SecretKind;
import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;

/**
 * A secret Breakglass may rotate.
 *
 * @param name the runbook name, e.g. {@code artifact-encryption-key}
 * @param kind how new versions are made
 * @param store where its versions live (default LOCAL)
 * @param awsSecretId for AWS Secrets Manager: the secret's name or ARN there (default: {@code
 *     name})
 * @param operatorValueCheck for an API key: the HTTP check a supplied value must pass before it is
 *     promoted; null for none
 * @param smoke {@code allowNoChecks} with a reason, to rotate it although no smoke check covers it;
 *     null for the rule (a covering smoke check is required)
 * @param encoding the form its value takes in the store (default RAW)
 * @param jsonField with {@code encoding: JSON_FIELD}: the field of the JSON object that holds it
 * @param maxAge how long a version may stay CURRENT before it is overdue (default 90 days); the
 *     worker exports it beside the secret's age for alerts
 * @param openai for an API key issued by OpenAI: the project and the admin key that revoke the
 *     replaced key there; null when the key is not OpenAI's
 */
public record SecretConfig(
    @NotNull @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}") String name,
    @NotNull SecretKind kind,
    SecretStoreType store,
    String awsSecretId,
    @Valid OperatorValueCheck operatorValueCheck,
    SecretSmokeConfig smoke,
    SecretEncoding encoding,
    String jsonField,
    Duration maxAge,
    @Valid OpenAiConfig openai) {

  /** The age after which a version is overdue when {@code maxAge} is not configured. */
  public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(90);

  public SecretConfig {
    store = store == null ? SecretStoreType.LOCAL : store;
    awsSecretId = awsSecretId == null ? name : awsSecretId;
    encoding = encoding == null ? SecretEncoding.RAW : encoding;
    if (encoding == SecretEncoding.JSON_FIELD && (jsonField == null || jsonField.isBlank())) {
      throw new IllegalArgumentException(
          "secret " + name + ": encoding JSON_FIELD needs jsonField");
    }
    if (encoding != SecretEncoding.JSON_FIELD && jsonField != null) {
      throw new IllegalArgumentException(
          "secret " + name + ": jsonField is only read with encoding JSON_FIELD");
    }
    maxAge = maxAge == null ? DEFAULT_MAX_AGE : maxAge;
    if (maxAge.isNegative() || maxAge.isZero()) {
      throw new IllegalArgumentException("maxAge of " + name + " must be positive");
    }
  }

  /** A secret kept RAW, with the default maximum age, not OpenAI's. */
  public SecretConfig(
      String name,
      SecretKind kind,
      SecretStoreType store,
      String awsSecretId,
      OperatorValueCheck operatorValueCheck,
      SecretSmokeConfig smoke) {
    this(name, kind, store, awsSecretId, operatorValueCheck, smoke, null, null, null, null);
  }

  /** A secret that needs a covering smoke check. */
  public SecretConfig(
      String name,
      SecretKind kind,
      SecretStoreType store,
      String awsSecretId,
      OperatorValueCheck operatorValueCheck) {
    this(name, kind, store, awsSecretId, operatorValueCheck, null);
  }

  /** A secret in the local store. */
  public SecretConfig(String name, SecretKind kind) {
    this(name, kind, null, null, null);
  }

  /** This secret with {@code smoke} as its smoke-test exception. */
  public SecretConfig withSmoke(SecretSmokeConfig smoke) {
    return new SecretConfig(
        name,
        kind,
        store,
        awsSecretId,
        operatorValueCheck,
        smoke,
        encoding,
        jsonField,
        maxAge,
        openai);
  }

  /**
   * This secret with its value kept as {@code encoding} ({@code jsonField} for JSON_FIELD, else
   * null).
   */
  public SecretConfig withEncoding(SecretEncoding encoding, String jsonField) {
    return new SecretConfig(
        name,
        kind,
        store,
        awsSecretId,
        operatorValueCheck,
        smoke,
        encoding,
        jsonField,
        maxAge,
        openai);
  }

  /** This secret with {@code maxAge} as its maximum age. */
  public SecretConfig withMaxAge(Duration maxAge) {
    return new SecretConfig(
        name,
        kind,
        store,
        awsSecretId,
        operatorValueCheck,
        smoke,
        encoding,
        jsonField,
        maxAge,
        openai);
  }

  /** This secret as an OpenAI API key of {@code openai}'s project. */
  public SecretConfig withOpenAi(OpenAiConfig openai) {
    return new SecretConfig(
        name,
        kind,
        store,
        awsSecretId,
        operatorValueCheck,
        smoke,
        encoding,
        jsonField,
        maxAge,
        openai);
  }

  /** Only an API key is issued by OpenAI; checked with the file. */
  @JsonIgnore
  @AssertTrue(message = "is false: openai applies to a secret of kind API_KEY only")
  public boolean isOpenAiOnlyForApiKeys() {
    return openai == null || kind == SecretKind.API_KEY;
  }

  /** Why it may rotate without a covering smoke check, or null when it may not. */
  public String noSmokeCheckReason() {
    return smoke != null && smoke.allowNoChecks() ? smoke.reason() : null;
  }
}

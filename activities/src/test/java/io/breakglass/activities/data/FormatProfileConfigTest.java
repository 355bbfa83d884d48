package io.breakglass.activities.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.EnvelopeFormat;
import io.breakglass.activities.config.FormatProfile;
import io.breakglass.activities.config.S3Location;
import io.breakglass.activities.crypto.ApplicationJsonCodec;
import io.breakglass.activities.crypto.JsonEnvelopeCodec;
import io.breakglass.workflows.messages.values.DataSetType;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Which codec a data set's profile selects, and the profiles that cannot work. */
class FormatProfileConfigTest {

  private static final FormatProfile APP =
      new FormatProfile(
          FormatProfile.Kind.APPLICATION_JSON, "data", "iv", null, null, null, null, null);

  @Test
  void noProfile_isEnvelopeV1_andAnApplicationProfile_isTheApplicationsCodec() {
    DataSetConfig column = column(null);

    assertThat(column.profile()).isEqualTo(FormatProfile.BREAKGLASS_V1);
    assertThat(ProtectedDataSet.codecFor(column)).isInstanceOf(JsonEnvelopeCodec.class);
    assertThat(ProtectedDataSet.codecFor(column.withProfile(APP)))
        .isInstanceOf(ApplicationJsonCodec.class);
  }

  @Test
  void profilesThatCannotWork_areRefusedNamingTheDataSet() {
    assertThatThrownBy(
            () -> ProtectedDataSet.codecFor(column(EnvelopeFormat.BINARY).withProfile(APP)))
        .hasMessage("data set notes: an APPLICATION_JSON profile is JSON, not BINARY");
    DataSetConfig objects =
        new DataSetConfig(
            "notes",
            "notes-key",
            DataSetType.S3_OBJECTS,
            null,
            null,
            null,
            null,
            null,
            null,
            AssociatedDataMode.OBJECT_PATH,
            0,
            0,
            0,
            0,
            null,
            new S3Location("b", "p/"));
    assertThatThrownBy(() -> ProtectedDataSet.codecFor(objects.withProfile(APP)))
        .hasMessageContaining(
            "data set notes: the APPLICATION_JSON profile is for table columns and folders");
    DataSetConfig constant =
        new DataSetConfig(
            "notes",
            "notes-key",
            DataSetType.ARTIFACT_DIRECTORY,
            null,
            null,
            null,
            null,
            null,
            Path.of("."),
            AssociatedDataMode.CONSTANT,
            0,
            0,
            0,
            0,
            null);
    assertThatThrownBy(() -> ProtectedDataSet.codecFor(constant))
        .hasMessage("data set notes: associatedData CONSTANT needs profile.associatedDataConstant");
    assertThatThrownBy(
            () ->
                ProtectedDataSet.codecFor(
                    column(null)
                        .withProfile(
                            new FormatProfile(
                                FormatProfile.Kind.APPLICATION_JSON,
                                "data",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null))))
        .hasMessageContaining(
            "data set notes: an APPLICATION_JSON profile names its ciphertextField and nonceField");
    assertThatThrownBy(
            () ->
                ProtectedDataSet.codecFor(
                    column(null)
                        .withProfile(
                            new FormatProfile(null, "data", "iv", null, null, null, null, null))))
        .hasMessage(
            "data set notes: profile fields name an application's envelope, but kind is BREAKGLASS_V1");
  }

  private static DataSetConfig column(EnvelopeFormat format) {
    return new DataSetConfig(
        "notes",
        "notes-key",
        DataSetType.POSTGRES_COLUMN,
        "app",
        "notes",
        "id",
        "payload",
        format,
        null,
        AssociatedDataMode.ROW_ID,
        0,
        0,
        0,
        0,
        null);
  }
}

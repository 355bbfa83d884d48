package io.breakglass.activities.data.s3;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.breakglass.activities.config.AssociatedDataMode;
import io.breakglass.activities.config.DataSetConfig;
import io.breakglass.activities.config.S3Location;
import io.breakglass.workflows.messages.values.DataSetType;
import org.junit.jupiter.api.Test;

class S3DataSetConfigTest {

  @Test
  void anS3DataSetWithoutItsLocation_isRefusedNamingIt_beforeAnyClientIsMade() {
    assertThatThrownBy(
            () ->
                S3ObjectStore.create(
                    config(null, AssociatedDataMode.OBJECT_PATH),
                    () -> {
                      throw new AssertionError(
                          "no client may be made for a misconfigured data set");
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("data set chart-objects: type S3_OBJECTS needs s3 (bucket, prefix)");
  }

  @Test
  void anS3DataSetBoundToRowIds_isRefused() {
    assertThatThrownBy(
            () ->
                S3ObjectStore.create(
                    config(new S3Location("charts", ""), AssociatedDataMode.ROW_ID), () -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ROW_ID is for table columns");
  }

  private static DataSetConfig config(S3Location s3, AssociatedDataMode associatedData) {
    return new DataSetConfig(
        "chart-objects",
        "artifact-encryption-key",
        DataSetType.S3_OBJECTS,
        null,
        null,
        null,
        null,
        null,
        null,
        associatedData,
        0,
        0,
        0,
        0,
        null,
        s3);
  }
}

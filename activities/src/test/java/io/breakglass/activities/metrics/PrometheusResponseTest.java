package io.breakglass.activities.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Reading the documented response shapes of {@code /api/v1/query}. */
class PrometheusResponseTest {

  private static QueryResult read(String data) {
    return PrometheusClient.read(200, "{\"status\":\"success\",\"data\":" + data + "}");
  }

  @Test
  void aScalar_isItsValue() {
    assertThat(read("{\"resultType\":\"scalar\",\"result\":[1700000000.1,\"2.5\"]}"))
        .isEqualTo(new QueryResult.Value(2.5));
  }

  @Test
  void aVectorOfOneSeries_isThatSeriesValue() {
    assertThat(
            read(
                "{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1700000000,\"7\"]}]}"))
        .isEqualTo(new QueryResult.Value(7));
  }

  @Test
  void anEmptyVector_NaN_andInfinity_areNoData() {
    assertThat(read("{\"resultType\":\"vector\",\"result\":[]}"))
        .isInstanceOf(QueryResult.NoData.class);
    assertThat(read("{\"resultType\":\"scalar\",\"result\":[1700000000,\"NaN\"]}"))
        .isEqualTo(new QueryResult.NoData("value NaN"));
    assertThat(read("{\"resultType\":\"scalar\",\"result\":[1700000000,\"+Inf\"]}"))
        .isInstanceOf(QueryResult.NoData.class);
  }

  @Test
  void severalSeries_orAMatrix_areFailures_askingForOneValue() {
    assertThat(
            read(
                "{\"resultType\":\"vector\",\"result\":[{\"value\":[1,\"1\"]},{\"value\":[1,\"2\"]}]}"))
        .isEqualTo(new QueryResult.Failed("2 series; aggregate the query to one (e.g. sum(...))"));
    assertThat(read("{\"resultType\":\"matrix\",\"result\":[]}"))
        .isInstanceOf(QueryResult.Failed.class);
  }

  @Test
  void anErrorResponse_isAFailure_withItsTypeAndMessage() {
    assertThat(
            PrometheusClient.read(
                400, "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"}"))
        .isEqualTo(new QueryResult.Failed("HTTP 400, bad_data: parse error"));
  }

  @Test
  void aBodyThatIsNotTheApi_isAFailure() {
    assertThat(PrometheusClient.read(502, "<html>bad gateway</html>"))
        .isEqualTo(new QueryResult.Failed("HTTP 502 without a Prometheus API response"));
  }
}

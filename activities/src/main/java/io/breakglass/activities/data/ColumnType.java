package io.breakglass.activities.data;

import io.breakglass.activities.config.EnvelopeFormat;

/**
 * The PostgreSQL type of an envelope column, and the SQL fragments that read and write it as exact
 * bytes.
 */
enum ColumnType {
  JSONB("jsonb", "::text", "v.new::jsonb", "text"),
  JSON("json", "::text", "v.new::json", "text"),
  TEXT("text", "", "v.new", "text"),
  BYTEA("bytea", "", "v.new", "bytea");

  final String sqlName;
  final String readCast;
  final String newValue;
  final String arrayType;

  ColumnType(String sqlName, String readCast, String newValue, String arrayType) {
    this.sqlName = sqlName;
    this.readCast = readCast;
    this.newValue = newValue;
    this.arrayType = arrayType;
  }

  /** The type for a column's {@code data_type} as information_schema reports it. */
  static ColumnType of(String dataType, String where) {
    return switch (dataType) {
      case "jsonb" -> JSONB;
      case "json" -> JSON;
      case "text", "character varying" -> TEXT;
      case "bytea" -> BYTEA;
      default ->
          throw new IllegalArgumentException(
              where + " has type " + dataType + "; envelopes live in jsonb, json, text or bytea");
    };
  }

  /** Whether envelopes in {@code format} can live in this type. */
  boolean holds(EnvelopeFormat format) {
    return (format == EnvelopeFormat.BINARY) == (this == BYTEA);
  }
}

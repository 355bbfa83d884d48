package io.breakglass.activities.data;

/**
 * An item too large to read into memory (an S3 object above its multipart threshold): it is read
 * and rewritten as a stream in the {@link io.breakglass.activities.crypto.StreamingEnvelope}
 * format.
 *
 * @param key the item's key
 * @param size its stored size in bytes
 * @param version what identifies the stored bytes read (an S3 ETag); a conditional rewrite compares
 *     it
 */
public record LargeItem(String key, long size, String version) {}

package io.breakglass.workflows.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.EncodingKeys;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts every payload Temporal stores (inputs, results, signals, updates, queries, heartbeat
 * details, and failure messages when the converter encodes failure attributes) with AES-256-GCM.
 *
 * <p>An encrypted payload carries metadata {@code encoding: binary/encrypted} and {@code
 * encryption-key-id: <id>}; its data is a fresh random 12-byte nonce followed by the ciphertext and
 * 16-byte tag of the whole original payload (its metadata included, so even the JSON encoding is
 * hidden). The associated data is the encoding and the key id, so a payload cannot be passed off
 * under another key id or encoding.
 *
 * <p>Decoding looks the key up by the id the payload names, so payloads written under older codec
 * keys still read while those keys stay in the keyring. Payloads without the encrypted encoding
 * (histories written before the codec) pass through unchanged. An unknown key id is an {@link
 * UnknownCodecKeyException}; a tampered or truncated payload a {@link PayloadCodecException}.
 * Neither message holds payload content.
 */
public final class PayloadEncryptionCodec implements PayloadCodec {

  /** The {@code encoding} metadata value of an encrypted payload. */
  public static final String ENCODING = "binary/encrypted";

  /** The metadata key naming the codec key that encrypted a payload. */
  public static final String KEY_ID = "encryption-key-id";

  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final ByteString ENCODING_BYTES = ByteString.copyFromUtf8(ENCODING);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final CodecKeyring keyring;

  public PayloadEncryptionCodec(CodecKeyring keyring) {
    this.keyring = keyring;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(this::encrypt).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  private Payload encrypt(Payload payload) {
    String keyId = keyring.primaryId();
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    byte[] sealed;
    try {
      sealed =
          cipher(Cipher.ENCRYPT_MODE, keyring.primary(), nonce, keyId)
              .doFinal(payload.toByteArray());
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException("cannot encrypt a payload with codec key " + keyId, e);
    }
    return Payload.newBuilder()
        .putMetadata(EncodingKeys.METADATA_ENCODING_KEY, ENCODING_BYTES)
        .putMetadata(KEY_ID, ByteString.copyFromUtf8(keyId))
        .setData(
            ByteString.copyFrom(
                ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array()))
        .build();
  }

  private Payload decrypt(Payload payload) {
    if (!ENCODING_BYTES.equals(
        payload.getMetadataOrDefault(EncodingKeys.METADATA_ENCODING_KEY, null))) {
      return payload;
    }
    ByteString keyIdBytes = payload.getMetadataOrDefault(KEY_ID, null);
    if (keyIdBytes == null) {
      throw new PayloadCodecException("encrypted payload without " + KEY_ID + " metadata");
    }
    String keyId = keyIdBytes.toStringUtf8();
    SecretKey key = keyring.key(keyId);
    byte[] data = payload.getData().toByteArray();
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      throw new PayloadCodecException(
          "encrypted payload under codec key "
              + keyId
              + " is truncated ("
              + data.length
              + " bytes)");
    }
    try {
      byte[] plain =
          cipher(Cipher.DECRYPT_MODE, key, Arrays.copyOf(data, NONCE_BYTES), keyId)
              .doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
      return Payload.parseFrom(plain);
    } catch (AEADBadTagException e) {
      throw new PayloadCodecException(
          "encrypted payload under codec key "
              + keyId
              + " does not authenticate: it was altered, or another key carries the same id");
    } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
      throw new PayloadCodecException("cannot decrypt a payload under codec key " + keyId, e);
    }
  }

  private static Cipher cipher(int mode, SecretKey key, byte[] nonce, String keyId)
      throws GeneralSecurityException {
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
    cipher.updateAAD((ENCODING + "\n" + keyId).getBytes(StandardCharsets.UTF_8));
    return cipher;
  }
}

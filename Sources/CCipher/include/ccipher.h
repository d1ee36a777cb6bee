#ifndef BERTH_CCIPHER_H
#define BERTH_CCIPHER_H

#include <stddef.h>
#include <stdint.h>

/// AES-CBC with PKCS#7 padding through OpenSSL's EVP interface (AES-NI where
/// the CPU has it), for the aescbc encryption provider: swift-crypto's
/// AES._CBC expands the key again for every 16-byte block, which made
/// encrypted writes a third slower.
///
/// `encrypt` 1 encrypts, 0 decrypts; `key_len` is 16, 24 or 32; `out` has
/// room for `in_len + 16` bytes. Returns 1 and sets `*out_len`, or 0 (a bad
/// key size, or on decryption a ciphertext whose padding is wrong).
int berth_aes_cbc(int encrypt, const uint8_t *key, size_t key_len, const uint8_t *iv,
                  const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len);

#endif

#include "ccipher.h"

#include <limits.h>
#include <openssl/evp.h>

int berth_aes_cbc(int encrypt, const uint8_t *key, size_t key_len, const uint8_t *iv,
                  const uint8_t *in, size_t in_len, uint8_t *out, size_t *out_len) {
    const EVP_CIPHER *cipher = key_len == 16 ? EVP_aes_128_cbc()
                             : key_len == 24 ? EVP_aes_192_cbc()
                             : key_len == 32 ? EVP_aes_256_cbc() : NULL;
    if (cipher == NULL || in_len > INT_MAX - 16) return 0;
    EVP_CIPHER_CTX *context = EVP_CIPHER_CTX_new();
    if (context == NULL) return 0;
    int written = 0, last = 0;
    int ok = EVP_CipherInit_ex(context, cipher, NULL, key, iv, encrypt ? 1 : 0) == 1
          && EVP_CipherUpdate(context, out, &written, in, (int)in_len) == 1
          && EVP_CipherFinal_ex(context, out + written, &last) == 1;
    EVP_CIPHER_CTX_free(context);
    if (!ok) return 0;
    *out_len = (size_t)written + (size_t)last;
    return 1;
}

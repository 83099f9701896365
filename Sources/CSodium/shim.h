#ifndef CSODIUM_SHIM_H
#define CSODIUM_SHIM_H
#include <sodium.h>

/* crypto_generichash_state is declared 64-byte aligned, which Swift cannot import; these take the state as void*. */
static inline int csodium_generichash_init(void *state, const unsigned char *key, size_t keylen, size_t outlen) {
    return crypto_generichash_init((crypto_generichash_state *)state, key, keylen, outlen);
}
static inline int csodium_generichash_update(void *state, const unsigned char *in, unsigned long long inlen) {
    return crypto_generichash_update((crypto_generichash_state *)state, in, inlen);
}
static inline int csodium_generichash_final(void *state, unsigned char *out, size_t outlen) {
    return crypto_generichash_final((crypto_generichash_state *)state, out, outlen);
}
#endif

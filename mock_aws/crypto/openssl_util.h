#pragma once
// Internal to mock_aws/crypto: OpenSSL algorithm handles fetched once per process, and the abort
// path for failures that cannot come from input (allocation failure inside OpenSSL, a missing
// default provider). Not part of the module's public interface.

#include <openssl/evp.h>

namespace ibsim::mock_aws::crypto::internal {

// Prefetched algorithms: implicit fetching on every call costs more than hashing 64 bytes.
const EVP_MD* sha256_md();
const EVP_CIPHER* aes256_gcm_cipher();

// Prints the operation and OpenSSL's error queue, then aborts. For invariants only.
[[noreturn]] void openssl_fail(const char* operation);

inline void check(int rc, const char* operation) {
  if (rc != 1) [[unlikely]] {
    openssl_fail(operation);
  }
}

}  // namespace ibsim::mock_aws::crypto::internal

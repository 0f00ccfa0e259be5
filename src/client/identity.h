#pragma once
// Identity: who a typed client speaks as. Either SigV4 credentials (an access key id, its secret
// and, for temporary credentials, the session token) or an AWS service principal acting as itself
// ("imagebuilder.amazonaws.com"), which is how Image Builder starts before it assumes its
// service-linked role. How each transport authenticates a service principal is documented in
// src/client/README.md (direct: trusted in-process; wire/HTTP: not signable, refused).
//
//   Identity slr = Identity::from_credentials({.access_key_id = "ASIA...", ...});
//   Identity svc = Identity::service("imagebuilder.amazonaws.com");

#include <cstdint>
#include <string>
#include <string_view>

namespace ibsim::client {

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // Empty for long-term keys.
  // When temporary credentials stop working (Unix ms, civil time of the simulation); 0: never.
  int64_t expiration_unix_ms = 0;

  friend bool operator==(const Credentials&, const Credentials&) = default;
};

class Identity {
 public:
  enum class Kind : uint8_t { kCredentials, kServicePrincipal };

  Identity() = default;

  static Identity from_credentials(Credentials credentials);
  // `service_name` is a service principal such as "imagebuilder.amazonaws.com".
  static Identity service(std::string_view service_name);

  Kind kind() const { return kind_; }

  bool is_service() const { return kind_ == Kind::kServicePrincipal; }

  const Credentials& credentials() const { return credentials_; }

  const std::string& service_name() const { return service_name_; }

  // A short, non-secret label for traces and reports: the access key id or the service name.
  const std::string& label() const {
    return kind_ == Kind::kServicePrincipal ? service_name_ : credentials_.access_key_id;
  }

  friend bool operator==(const Identity&, const Identity&) = default;

 private:
  Kind kind_ = Kind::kCredentials;
  Credentials credentials_;
  std::string service_name_;
};

// The service principal Image Builder uses before it assumes AWSServiceRoleForImageBuilder.
inline constexpr std::string_view kImageBuilderServicePrincipal = "imagebuilder.amazonaws.com";

}  // namespace ibsim::client

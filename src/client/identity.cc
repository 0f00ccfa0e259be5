#include "src/client/identity.h"

#include <utility>

namespace ibsim::client {

Identity Identity::from_credentials(Credentials credentials) {
  Identity id;
  id.kind_ = Kind::kCredentials;
  id.credentials_ = std::move(credentials);
  return id;
}

Identity Identity::service(std::string_view service_name) {
  Identity id;
  id.kind_ = Kind::kServicePrincipal;
  id.service_name_ = std::string(service_name);
  return id;
}

}  // namespace ibsim::client

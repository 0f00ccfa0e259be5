#include "mock_aws/api/principal.h"

namespace ibsim::mock_aws::api {

std::string_view to_string(PrincipalKind kind) {
  switch (kind) {
    case PrincipalKind::kRoot:
      return "root";
    case PrincipalKind::kUser:
      return "user";
    case PrincipalKind::kAssumedRole:
      return "assumed-role";
    case PrincipalKind::kService:
      return "service";
    case PrincipalKind::kAnonymous:
      return "anonymous";
  }
  return "anonymous";
}

Principal Principal::root(const AccountId& account) {
  Principal p;
  p.kind = PrincipalKind::kRoot;
  p.account = account;
  p.arn = root_arn(account);
  p.unique_id = account.str();
  return p;
}

Principal Principal::user(const AccountId& account,
                          std::string_view path,
                          std::string_view name,
                          std::string_view unique_id) {
  Principal p;
  p.kind = PrincipalKind::kUser;
  p.account = account;
  p.arn = user_arn(account, path, name);
  p.name = std::string(name);
  p.unique_id = std::string(unique_id);
  return p;
}

Principal Principal::assumed_role(const AccountId& account,
                                  std::string_view role_name,
                                  std::string_view role_path,
                                  std::string_view session_name,
                                  std::string_view role_unique_id) {
  Principal p;
  p.kind = PrincipalKind::kAssumedRole;
  p.account = account;
  p.arn = assumed_role_arn(account, role_name, session_name);
  p.role_arn = api::role_arn(account, role_path, role_name);
  p.name = std::string(role_name);
  p.session_name = std::string(session_name);
  p.unique_id = std::string(role_unique_id) + ":" + std::string(session_name);
  return p;
}

Principal Principal::service(std::string_view service_name) {
  Principal p;
  p.kind = PrincipalKind::kService;
  p.arn = std::string(service_name);
  p.name = std::string(service_name);
  return p;
}

}  // namespace ibsim::mock_aws::api

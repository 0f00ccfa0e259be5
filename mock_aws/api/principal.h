#pragma once
// Who is calling: the principal every request resolves to after authentication, and the facts
// policies see about it. An assumed-role session keeps both its session ARN (what error messages
// print) and its role ARN (what aws:PrincipalArn and trust policies see, aws-facts §5.4).
//
//   Principal p = Principal::assumed_role(target, "EC2ImageBuilderDistributionCrossAccountRole",
//                                         "/", "ImageBuilder", "AROA...");

#include <map>
#include <string>
#include <string_view>

#include "mock_aws/api/arn.h"
#include "mock_aws/api/ids.h"

namespace ibsim::mock_aws::api {

enum class PrincipalKind {
  kRoot,         // The account's root user.
  kUser,         // An IAM user.
  kAssumedRole,  // A role session from sts:AssumeRole (or a service acting through its role).
  kService,      // An AWS service principal acting for itself ("imagebuilder.amazonaws.com").
  kAnonymous,    // Unauthenticated.
};

std::string_view to_string(PrincipalKind kind);

struct Principal {
  PrincipalKind kind = PrincipalKind::kAnonymous;
  AccountId account;                        // Empty for services and anonymous callers.
  std::string arn;                          // User ARN, session ARN, root ARN, or the service name.
  std::string role_arn;                     // Sessions only: the role's ARN, path included.
  std::string name;                         // User or role name.
  std::string session_name;                 // Sessions only.
  std::string unique_id;                    // AIDA... for users, AROA...:session for sessions.
  std::map<std::string, std::string> tags;  // aws:PrincipalTag/*.

  // The ARN policies match against aws:PrincipalArn: the role ARN for a session.
  const std::string& principal_arn() const {
    return kind == PrincipalKind::kAssumedRole ? role_arn : arn;
  }

  static Principal root(const AccountId& account);
  static Principal user(const AccountId& account,
                        std::string_view path,
                        std::string_view name,
                        std::string_view unique_id);
  static Principal assumed_role(const AccountId& account,
                                std::string_view role_name,
                                std::string_view role_path,
                                std::string_view session_name,
                                std::string_view role_unique_id);
  static Principal service(std::string_view service_name);
};

}  // namespace ibsim::mock_aws::api

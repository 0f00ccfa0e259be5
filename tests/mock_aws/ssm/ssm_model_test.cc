// SSM Parameter Store: names, types and data types, overwrite and versions, selectors,
// GetParameters' invalid names, delete, quotas, authorization on parameter ARNs.

#include "mock_aws/ssm/ssm_model.h"

#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mock_aws/api/principal.h"

namespace ibsim::mock_aws::ssm {
namespace {

namespace ssm_api = api::ssm;

class DenyListAuthorizer final : public auth::Authorizer {
 public:
  std::set<std::string> denied;
  std::vector<std::string> resources;

  auth::AuthzResult authorize(const api::CallContext& ctx,
                              const auth::AuthzRequest& request) override {
    resources.emplace_back(request.resource);
    auth::AuthzResult r;
    const std::string action(request.action);
    if (denied.contains(action)) {
      r.decision.outcome = policy::Outcome::kImplicitDeny;
      r.message = "User: " + ctx.principal.arn + " is not authorized to perform: " + action
                  + " on resource: " + std::string(request.resource);
      r.explanation = R"({"summary":"denied"})";
    } else {
      r.decision.outcome = policy::Outcome::kAllow;
    }
    return r;
  }
};

struct Fixture {
  explicit Fixture(SsmModel::Options options = {}) : model(ctx, authz, options) {
    caller.principal = api::Principal::root(api::AccountId::from_valid("111122223333"));
    caller.region = api::Region::from_known("us-west-2");
  }

  sim::Context ctx;
  DenyListAuthorizer authz;
  SsmModel model;
  api::CallContext caller;
};

const std::string kNameRule =
    "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as "
    "a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a "
    "mix of letters, numbers and the following 3 symbols .-_";

TEST_CASE("PutParameter: creates version 1 and GetParameter returns it with its ARN", "[ssm]") {
  Fixture f;
  f.ctx.scheduler().run_for(sim::Duration::seconds(5));
  auto put = f.model.put_parameter(f.caller,
                                   {.name = "/golden/ami",
                                    .value = "ami-0123456789abcdef0",
                                    .type = "String",
                                    .data_type = "aws:ec2:image"});
  REQUIRE(put.ok());
  CHECK(put->version == 1);
  CHECK(put->tier == "Standard");
  CHECK(f.authz.resources.back() == "arn:aws:ssm:us-west-2:111122223333:parameter/golden/ami");
  auto got = f.model.get_parameter(f.caller, {.name = "/golden/ami"});
  REQUIRE(got.ok());
  const ssm_api::Parameter& p = got->parameter;
  CHECK(p.name == "/golden/ami");
  CHECK(p.type == "String");
  CHECK(p.value == "ami-0123456789abcdef0");
  CHECK(p.version == 1);
  CHECK(p.data_type == "aws:ec2:image");
  CHECK(p.arn == "arn:aws:ssm:us-west-2:111122223333:parameter/golden/ami");
  CHECK(p.last_modified_date == sim::Context::kDefaultEpochUnixMs + 5000);
  CHECK_FALSE(p.selector.has_value());
  auto by_arn = f.model.get_parameter(
      f.caller, {.name = "arn:aws:ssm:us-west-2:111122223333:parameter/golden/ami"});
  REQUIRE(by_arn.ok());
  CHECK(by_arn->parameter.value == "ami-0123456789abcdef0");
  // Parameters are per account and region.
  api::CallContext east = f.caller;
  east.region = api::Region::from_known("us-east-1");
  CHECK(f.model.get_parameter(east, {.name = "/golden/ami"}).error().code == "ParameterNotFound");
  CHECK(f.model
            .find_parameter(api::AccountId::from_valid("111122223333"),
                            api::Region::from_known("us-west-2"),
                            "/golden/ami")
            ->value
        == "ami-0123456789abcdef0");
}

TEST_CASE("PutParameter: overwrite rules and versions and selectors", "[ssm]") {
  Fixture f;
  REQUIRE(f.model.put_parameter(f.caller, {.name = "app", .value = "one", .type = "String"}).ok());
  auto exists = f.model.put_parameter(f.caller, {.name = "app", .value = "two", .type = "String"});
  REQUIRE_FALSE(exists.ok());
  CHECK(exists.error().code == "ParameterAlreadyExists");
  CHECK(exists.error().message ==
        "The parameter already exists. To overwrite this value, set the overwrite option in the "
        "request to true.");
  auto v2 = f.model.put_parameter(f.caller, {.name = "app", .value = "two", .overwrite = true});
  REQUIRE(v2.ok());
  CHECK(v2->version == 2);
  CHECK(f.model.get_parameter(f.caller, {.name = "app"})->parameter.value == "two");
  auto v1 = f.model.get_parameter(f.caller, {.name = "app:1"});
  REQUIRE(v1.ok());
  CHECK(v1->parameter.value == "one");
  CHECK(v1->parameter.selector == ":1");
  auto v9 = f.model.get_parameter(f.caller, {.name = "app:9"});
  REQUIRE_FALSE(v9.ok());
  CHECK(v9.error().code == "ParameterVersionNotFound");
  auto label = f.model.get_parameter(f.caller, {.name = "app:prod"});
  REQUIRE_FALSE(label.ok());
  CHECK(label.error().code == "ValidationException");
  auto tags_and_overwrite = f.model.put_parameter(
      f.caller, {.name = "app", .value = "3", .overwrite = true, .tags = {{"k", "v"}}});
  REQUIRE_FALSE(tags_and_overwrite.ok());
  CHECK(tags_and_overwrite.error().code == "ValidationException");
  auto no_type = f.model.put_parameter(f.caller, {.name = "new", .value = "x"});
  REQUIRE_FALSE(no_type.ok());
  CHECK(no_type.error().code == "ValidationException");
}

TEST_CASE("PutParameter: names and types and data types and sizes", "[ssm]") {
  Fixture f;

  struct Case {
    ssm_api::PutParameterInput in;
    std::string code;
    std::string message;  // Empty: only the code is checked.
  };

  const std::vector<Case> cases = {
      {{.name = "/aws/mine", .value = "v", .type = "String"}, "ValidationException", kNameRule},
      {{.name = "SSM-param", .value = "v", .type = "String"}, "ValidationException", kNameRule},
      {{.name = "bad name", .value = "v", .type = "String"}, "ValidationException", kNameRule},
      {{.name = "/a//b", .value = "v", .type = "String"}, "ValidationException", kNameRule},
      {{.name = "a/b", .value = "v", .type = "String"},
       "ValidationException",
       "Parameter name must be a fully qualified name."},
      {{.name = "/1/2/3/4/5/6/7/8/9/10/11/12/13/14/15/16", .value = "v", .type = "String"},
       "HierarchyLevelLimitExceededException",
       "A hierarchy can have a maximum of 15 levels."},
      {{.name = "x", .value = "v", .type = "Text"}, "ValidationException", ""},
      {{.name = "x", .value = "", .type = "String"}, "ValidationException", ""},
      {{.name = "x", .value = std::string(4097, 'v'), .type = "String"},
       "ValidationException",
       "Standard tier parameters support a maximum parameter value of 4096 characters. To create "
       "a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For "
       "more information, see "
       "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
       "parameter-store-advanced-parameters.html"},
      {{.name = "x", .value = "v", .type = "String", .data_type = "json"},
       "ValidationException",
       "The following data type is not supported: json (Data type names are all lowercase.)"},
      {{.name = "x", .value = "not-an-ami", .type = "String", .data_type = "aws:ec2:image"},
       "ValidationException",
       ""},
      {{.name = "x",
        .value = "ami-0123456789abcdef0",
        .type = "StringList",
        .data_type = "aws:ec2:image"},
       "ValidationException",
       ""},
      {{.name = "x", .value = "abc", .type = "String", .allowed_pattern = "^[0-9]+$"},
       "ParameterPatternMismatchException",
       ""},
      {{.name = "x", .value = "abc", .type = "String", .allowed_pattern = "(["},
       "InvalidAllowedPatternException",
       ""},
      {{.name = "x", .value = "v", .type = "String", .key_id = "alias/k"},
       "ValidationException",
       ""},
  };
  for (const Case& c : cases) {
    INFO(c.in.name + " " + c.in.value.substr(0, 20));
    auto out = f.model.put_parameter(f.caller, c.in);
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code == c.code);
    if (!c.message.empty()) {
      CHECK(out.error().message == c.message);
    }
  }
  CHECK(
      f.model
          .put_parameter(
              f.caller,
              {.name = "x", .value = std::string(5000, 'v'), .type = "String", .tier = "Advanced"})
          .ok());
  CHECK(f.model.put_parameter(f.caller, {.name = "list", .value = "a,b,c", .type = "StringList"})
            .ok());
  CHECK(f.model
            .put_parameter(f.caller,
                           {.name = "secret",
                            .value = "s3cr3t",
                            .type = "SecureString",
                            .key_id = "alias/aws/ssm"})
            .ok());
  CHECK(
      f.model.get_parameter(f.caller, {.name = "secret", .with_decryption = true})->parameter.value
      == "s3cr3t");
  // Seeds may use AWS's reserved prefix (public parameters).
  CHECK(f.model
            .seed_parameter(api::AccountId::from_valid("111122223333"),
                            api::Region::from_known("us-west-2"),
                            {.name = "/aws/service/ami-amazon-linux-latest/al2023",
                             .value = "ami-0123456789abcdef0",
                             .type = "String",
                             .data_type = "aws:ec2:image"})
            .ok());
}

TEST_CASE("GetParameters: found parameters and invalid names in request order", "[ssm]") {
  Fixture f;
  REQUIRE(f.model.put_parameter(f.caller, {.name = "/a", .value = "1", .type = "String"}).ok());
  REQUIRE(f.model.put_parameter(f.caller, {.name = "/b", .value = "2", .type = "String"}).ok());
  auto out = f.model.get_parameters(f.caller, {.names = {"/b", "/missing", "/a", "/b", "/a:7"}});
  REQUIRE(out.ok());
  REQUIRE(out->parameters.size() == 2);
  CHECK(out->parameters[0].name == "/b");
  CHECK(out->parameters[1].name == "/a");
  CHECK(out->invalid_parameters == std::vector<std::string>{"/missing", "/a:7"});
  CHECK(f.model.get_parameters(f.caller, {}).error().code == "ValidationException");
  CHECK(f.model.get_parameters(f.caller, {.names = std::vector<std::string>(11, "/a")}).error().code
        == "ValidationException");
}

TEST_CASE("DeleteParameter: deletes and then reports ParameterNotFound", "[ssm]") {
  Fixture f;
  REQUIRE(f.model.put_parameter(f.caller, {.name = "/a", .value = "1", .type = "String"}).ok());
  REQUIRE(f.model.delete_parameter(f.caller, {.name = "/a"}).ok());
  auto again = f.model.delete_parameter(f.caller, {.name = "/a"});
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "ParameterNotFound");
  CHECK(again.error().http_status == 400);
  CHECK(f.model.get_parameter(f.caller, {.name = "/a"}).error().code == "ParameterNotFound");
}

TEST_CASE("Parameters: the quota and authorization", "[ssm]") {
  SsmModel::Options options;
  options.standard_parameters_max = 2;
  Fixture f(options);
  REQUIRE(f.model.put_parameter(f.caller, {.name = "/a", .value = "1", .type = "String"}).ok());
  REQUIRE(f.model.put_parameter(f.caller, {.name = "/b", .value = "1", .type = "String"}).ok());
  auto third = f.model.put_parameter(f.caller, {.name = "/c", .value = "1", .type = "String"});
  REQUIRE_FALSE(third.ok());
  CHECK(third.error().code == "ParameterLimitExceeded");
  CHECK(f.model.put_parameter(f.caller, {.name = "/a", .value = "2", .overwrite = true}).ok());

  f.authz.denied.insert("ssm:GetParameters");
  auto denied = f.model.get_parameters(f.caller, {.names = {"/a"}});
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().code == "AccessDeniedException");
  CHECK(denied.error().http_status == 400);
  CHECK(denied.error().message.find("ssm:GetParameters on resource: "
                                    "arn:aws:ssm:us-west-2:111122223333:parameter/a")
        != std::string::npos);
  f.authz.denied.insert("ssm:PutParameter");
  CHECK(f.model.put_parameter(f.caller, {.name = "/z", .value = "1", .type = "String"}).error().code
        == "AccessDeniedException");
}

}  // namespace
}  // namespace ibsim::mock_aws::ssm

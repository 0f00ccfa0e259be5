#include "mock_aws/protocol/shape_model.h"

#include <algorithm>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "mock_aws/protocol/generated/service_models.h"

namespace ibsim::mock_aws::protocol {
namespace {

TEST_CASE("Shape model: every service has its protocol and metadata", "[protocol]") {
  CHECK(service_model(ServiceId::kImageBuilder).protocol == Protocol::kRestJson);
  CHECK(service_model(ServiceId::kEc2).protocol == Protocol::kEc2Query);
  CHECK(service_model(ServiceId::kKms).protocol == Protocol::kJson);
  CHECK(service_model(ServiceId::kKms).target_prefix == "TrentService");
  CHECK(service_model(ServiceId::kKms).json_version == "1.1");
  CHECK(service_model(ServiceId::kSsm).target_prefix == "AmazonSSM");
  CHECK(service_model(ServiceId::kIam).protocol == Protocol::kQuery);
  CHECK(service_model(ServiceId::kIam).xml_namespace
        == "https://iam.amazonaws.com/doc/2010-05-08/");
  CHECK(service_model(ServiceId::kSts).api_version == "2011-06-15");
  CHECK(service_model(ServiceId::kImageBuilder).signing_name == "imagebuilder");
  CHECK(service_model(ServiceId::kEc2).signing_name == "ec2");
}

TEST_CASE("Shape model: the tables hold exactly the operations ibsim serves", "[protocol]") {
  std::size_t total = 0;
  for (ServiceId id : kAllServices) {
    const ServiceModel& s = service_model(id);
    CHECK(s.id == id);
    total += s.operations.size();
    // Sorted by name for binary search.
    CHECK(
        std::is_sorted(s.operations.begin(), s.operations.end(), [&](const auto& a, const auto& b) {
          return s.str(a.name) < s.str(b.name);
        }));
    for (const OperationModel& o : s.operations) {
      INFO(s.name << " " << s.str(o.name));
      CHECK((o.input == kNoIndex || s.shape(o.input).type == ShapeType::kStructure));
      CHECK((o.output == kNoIndex || s.shape(o.output).type == ShapeType::kStructure));
      for (uint16_t e = 0; e < o.error_count; ++e) {
        CHECK((s.shape(s.errors[o.first_error + e]).flags & kShapeException) != 0);
      }
    }
  }
  CHECK(total == 129);
  CHECK(service_model(ServiceId::kImageBuilder).operations.size() == 29);
  CHECK(service_model(ServiceId::kEc2).operations.size() == 28);
}

TEST_CASE("Shape model: members keep wire names and flags", "[protocol]") {
  const ServiceModel& ec2 = service_model(ServiceId::kEc2);
  const auto modify = find_operation(ServiceId::kEc2, "ModifyLaunchTemplate");
  REQUIRE(modify.has_value());
  const MemberModel* def = find_member(ec2, *modify->input(), "DefaultVersion");
  REQUIRE(def != nullptr);
  CHECK(ec2.str(def->wire_name) == "SetDefaultVersion");
  const MemberModel* token = find_member(ec2, *modify->input(), "ClientToken");
  REQUIRE(token != nullptr);
  CHECK((token->flags & kMemberIdempotencyToken) != 0);
  CHECK(find_member(ec2, *modify->input(), "Nope") == nullptr);

  const auto copy = find_operation(ServiceId::kEc2, "CopyImage");
  const MemberModel* name = find_member(ec2, *copy->input(), "Name");
  CHECK((name->flags & kMemberRequired) != 0);
  const ShapeModel& name_shape = ec2.target(*name);
  CHECK(name_shape.min == 3);
  CHECK(name_shape.max == 128);

  const ServiceModel& ib = service_model(ServiceId::kImageBuilder);
  const auto get = find_operation(ServiceId::kImageBuilder, "GetImage");
  CHECK(ib.str(get->model().http_method) == "GET");
  CHECK(ib.str(get->model().request_uri) == "/GetImage");
  const MemberModel* arn = find_member(ib, *get->input(), "imageBuildVersionArn");
  CHECK(arn->location == Location::kQueryString);

  const ServiceModel& iam = service_model(ServiceId::kIam);
  const auto get_role = find_operation(ServiceId::kIam, "GetRole");
  CHECK(iam.str(get_role->model().result_wrapper) == "GetRoleResult");
  const auto delete_role = find_operation(ServiceId::kIam, "DeleteRole");
  CHECK(delete_role->output() == nullptr);
}

TEST_CASE("Shape model: character classes follow Java semantics", "[protocol]") {
  const ServiceModel& iam = service_model(ServiceId::kIam);
  const auto create = find_operation(ServiceId::kIam, "CreateRole");
  const ShapeModel& role_name = iam.target(*find_member(iam, *create->input(), "RoleName"));
  CHECK(matches_pattern(iam, role_name.pattern, "EC2ImageBuilder_Role+=,.@-") == true);
  CHECK(matches_pattern(iam, role_name.pattern, "with space") == false);
  CHECK(matches_pattern(iam, role_name.pattern, "") == false);  // "+" needs one character
  CHECK(matches_pattern(iam, role_name.pattern, "caf\xC3\xA9") == false);  // \w is ASCII-only
  const ShapeModel& policy =
      iam.target(*find_member(iam, *create->input(), "AssumeRolePolicyDocument"));
  CHECK(matches_pattern(iam, policy.pattern, "{\"a\":\t\"\xC3\xA9\"}\r\n")
        == true);                                                        // up to U+00FF
  CHECK(matches_pattern(iam, policy.pattern, "\xE2\x82\xAC") == false);  // U+20AC
  CHECK(matches_pattern(iam, policy.pattern, std::string("\x01", 1)) == false);
  CHECK(matches_pattern(iam, policy.pattern, "\xff") == false);  // invalid UTF-8
}

TEST_CASE("Shape model: regular expressions run through std::regex", "[protocol]") {
  const ServiceModel& ib = service_model(ServiceId::kImageBuilder);
  const auto create = find_operation(ServiceId::kImageBuilder, "CreateDistributionConfiguration");
  const ShapeModel& name = ib.target(*find_member(ib, *create->input(), "name"));
  CHECK(matches_pattern(ib, name.pattern, "cross-account distribution") == true);
  CHECK(matches_pattern(ib, name.pattern, " leading") == false);
  CHECK(matches_pattern(ib, name.pattern, "ab") == false);
  // Longer than kMaxRegexInputBytes: not checked rather than risking deep recursion.
  CHECK_FALSE(
      matches_pattern(ib, name.pattern, std::string(kMaxRegexInputBytes + 1, 'a')).has_value());
}

TEST_CASE("Shape model: every pattern is checkable", "[protocol]") {
  std::vector<std::string> unchecked;
  std::size_t checked = 0;
  for (ServiceId id : kAllServices) {
    const ServiceModel& s = service_model(id);
    for (uint16_t i = 0; i < s.patterns.size(); ++i) {
      if (matches_pattern(s, i, "x").has_value()) {
        ++checked;
      } else {
        unchecked.push_back(std::string(s.name) + ": " + std::string(s.str(s.patterns[i].source)));
      }
    }
  }
  for (const auto& u : unchecked) {
    WARN("pattern not checked: " << u);
  }
  CHECK(unchecked.empty());
  CHECK(checked > 60);
}

TEST_CASE("Shape model: UTF-8 and UTF-16 lengths", "[protocol]") {
  CHECK(utf16_length("abc") == 3);
  CHECK(utf16_length("\xC3\xA9") == 1);
  CHECK(utf16_length("\xF0\x9F\x98\x80") == 2);  // U+1F600 is a surrogate pair in Java
  CHECK(utf16_length("\xff") == 1);
  CHECK(is_valid_utf8("plain \xE2\x82\xAC"));
  CHECK_FALSE(is_valid_utf8("\xC0\x80"));          // overlong
  CHECK_FALSE(is_valid_utf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  CHECK_FALSE(is_valid_utf8("\xE2\x82"));          // truncated
}

TEST_CASE("Shape model: the tables record the botocore they came from", "[protocol]") {
  CHECK_FALSE(generated::kBotocoreVersion.empty());
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol

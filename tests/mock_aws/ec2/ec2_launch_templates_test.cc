// Launch templates: create with tags, versions with SourceVersion inheritance, the default
// version, $Latest/$Default, describe filters, delete, their errors, and the tag conditions
// Image Builder's cross-account role relies on.

#include <catch2/catch.hpp>

#include "tests/mock_aws/ec2/ec2_test_support.h"

namespace ibsim::mock_aws::ec2 {
namespace {

using testing::Ec2World;
using testing::kSourceAccount;
using testing::kTargetAccount;
using testing::kUsEast1;
using testing::kUsWest2;

api::ec2::CreateLaunchTemplateInput template_input(std::string name,
                                                   std::string image_id = "ami-0aaaaaaaaaaaaaaaa") {
  return {.launch_template_name = std::move(name),
          .launch_template_data = {
              .image_id = std::move(image_id), .instance_type = "t3.micro", .key_name = "ops"}};
}

TEST_CASE("Launch templates: versions inherit from SourceVersion and numbers increase", "[ec2]") {
  Ec2World w;
  const api::CallContext call = w.root(kTargetAccount);
  sim::Result<api::ec2::CreateLaunchTemplateOutput> created =
      w.ec2().create_launch_template(call, template_input("web"));
  REQUIRE(created.ok());
  const api::ec2::LaunchTemplate& lt = *created->launch_template;
  const std::string id = *lt.launch_template_id;
  CHECK(is_well_formed_id(id, IdKind::kLaunchTemplate));
  CHECK(lt.default_version_number == 1);
  CHECK(lt.latest_version_number == 1);
  CHECK(lt.created_by == api::root_arn(kTargetAccount));

  // Image Builder's pattern: the new AMI over the default version's settings.
  sim::Result<api::ec2::CreateLaunchTemplateVersionOutput> v2 =
      w.ec2().create_launch_template_version(
          call,
          {.launch_template_id = id,
           .source_version = "$Default",
           .version_description = "new ami",
           .launch_template_data = {.image_id = "ami-0bbbbbbbbbbbbbbbb"}});
  REQUIRE(v2.ok());
  const api::ec2::LaunchTemplateVersion& version = *v2->launch_template_version;
  CHECK(version.version_number == 2);
  CHECK(version.default_version == false);
  CHECK(version.launch_template_data->image_id == "ami-0bbbbbbbbbbbbbbbb");
  CHECK(version.launch_template_data->instance_type == "t3.micro");
  CHECK(version.launch_template_data->key_name == "ops");
  // Without SourceVersion nothing is inherited.
  sim::Result<api::ec2::CreateLaunchTemplateVersionOutput> v3 =
      w.ec2().create_launch_template_version(
          call,
          {.launch_template_name = "web",
           .launch_template_data = {.image_id = "ami-0ccccccccccccccc"}});
  REQUIRE(v3.ok());
  CHECK(v3->launch_template_version->version_number == 3);
  CHECK_FALSE(v3->launch_template_version->launch_template_data->instance_type.has_value());

  // $Latest, $Default and numbers.
  auto versions = [&](std::vector<std::string> refs) {
    sim::Result<api::ec2::DescribeLaunchTemplateVersionsOutput> out =
        w.ec2().describe_launch_template_versions(
            call, {.launch_template_id = id, .versions = std::move(refs)});
    REQUIRE(out.ok());
    std::vector<int64_t> numbers;
    for (const auto& v : out->launch_template_versions) {
      numbers.push_back(*v.version_number);
    }
    return numbers;
  };
  CHECK(versions({"$Latest"}) == std::vector<int64_t>{3});
  CHECK(versions({"$Default"}) == std::vector<int64_t>{1});
  CHECK(versions({"2", "$Latest"}) == std::vector<int64_t>{2, 3});
  CHECK(versions({}) == std::vector<int64_t>{1, 2, 3});

  sim::Result<api::ec2::ModifyLaunchTemplateOutput> modified =
      w.ec2().modify_launch_template(call, {.launch_template_id = id, .default_version = "2"});
  REQUIRE(modified.ok());
  CHECK(modified->launch_template->default_version_number == 2);
  CHECK(modified->launch_template->latest_version_number == 3);
  CHECK(versions({"$Default"}) == std::vector<int64_t>{2});

  sim::Result<api::ec2::DescribeLaunchTemplateVersionsOutput> filtered =
      w.ec2().describe_launch_template_versions(
          call,
          {.launch_template_id = id, .filters = {{.name = "image-id", .values = {"ami-0c*"}}}});
  REQUIRE(filtered.ok());
  REQUIRE(filtered->launch_template_versions.size() == 1);
  CHECK(filtered->launch_template_versions[0].version_number == 3);
  // $Latest of every template, without naming one.
  CHECK(w.ec2()
            .describe_launch_template_versions(call, {.versions = {"$Latest"}})
            ->launch_template_versions.size()
        == 1);
  CHECK(w.ec2().describe_launch_template_versions(call, {.versions = {"2"}}).error().code
        == "MissingParameter");
  CHECK(w.ec2()
            .describe_launch_template_versions(
                call, {.launch_template_id = id, .min_version = "2", .max_version = "3"})
            ->launch_template_versions.size()
        == 2);
}

TEST_CASE("Launch templates: errors name the template as AWS does", "[ec2]") {
  Ec2World w;
  const api::CallContext call = w.root(kTargetAccount);
  const std::string id = *w.ec2()
                              .create_launch_template(call, template_input("web"))
                              ->launch_template->launch_template_id;

  sim::Result<api::ec2::CreateLaunchTemplateOutput> again =
      w.ec2().create_launch_template(call, template_input("web"));
  CHECK(again.error().code == "InvalidLaunchTemplateName.AlreadyExistsException");
  CHECK(again.error().message == "Launch template name already in use.");
  CHECK(w.ec2().create_launch_template(call, template_input("a b")).error().code
        == "InvalidLaunchTemplateName.Malformed");
  CHECK(w.ec2().create_launch_template(call, template_input("ab")).error().code
        == "InvalidLaunchTemplateName.Malformed");

  auto version = [&](api::ec2::CreateLaunchTemplateVersionInput in) {
    sim::Result<api::ec2::CreateLaunchTemplateVersionOutput> out =
        w.ec2().create_launch_template_version(call, in);
    return out.ok() ? std::string("ok") : out.error().code + ": " + out.error().message;
  };
  CHECK(version({.launch_template_id = "lt-0123456789abcdef0"})
        == "InvalidLaunchTemplateId.NotFound: The specified launch template, with template ID "
           "lt-0123456789abcdef0, does not exist.");
  CHECK(version({.launch_template_id = "lt-xyz"}).substr(0, 33)
        == "InvalidLaunchTemplateId.Malformed");
  CHECK(version({.launch_template_name = "nope"})
        == "InvalidLaunchTemplateName.NotFoundException: The specified launch template, with "
           "template name nope, does not exist.");
  CHECK(version({.launch_template_id = id, .source_version = "7"})
        == "InvalidLaunchTemplateId.VersionNotFound: Could not find the specified version 7 for "
           "the launch template with ID " + id + ".");
  CHECK_THAT(version({.launch_template_id = id, .launch_template_name = "web"}),
             Catch::StartsWith("InvalidParameterCombination"));
  CHECK(version({}).substr(0, 16) == "MissingParameter");
  CHECK(w.ec2()
            .modify_launch_template(call, {.launch_template_id = id, .default_version = "9"})
            .error()
            .code
        == "InvalidLaunchTemplateId.VersionNotFound");
  CHECK(w.ec2()
            .describe_launch_templates(call, {.launch_template_names = {"missing"}})
            .error()
            .message
        == "At least one of the launch templates specified in the request does not exist.");
  // Templates are per account and region.
  CHECK(version({.launch_template_id = id}) == "ok");
  CHECK(w.ec2()
            .create_launch_template_version(w.root(kSourceAccount), {.launch_template_id = id})
            .error()
            .code
        == "InvalidLaunchTemplateId.NotFound");
  CHECK(w.ec2()
            .create_launch_template_version(w.root(kTargetAccount, kUsWest2),
                                            {.launch_template_name = "web"})
            .error()
            .code
        == "InvalidLaunchTemplateName.NotFoundException");
}

TEST_CASE("Launch templates: describe by id name and filters then delete", "[ec2]") {
  Ec2World w;
  const api::CallContext call = w.root(kTargetAccount);
  api::ec2::CreateLaunchTemplateInput tagged = template_input("tagged");
  tagged.tag_specifications = {{.resource_type = "launch-template",
                                .tags = {{.key = "CreatedBy", .value = "EC2 Image Builder"}}}};
  const std::string a =
      *w.ec2().create_launch_template(call, tagged)->launch_template->launch_template_id;
  const std::string b = *w.ec2()
                             .create_launch_template(call, template_input("plain"))
                             ->launch_template->launch_template_id;
  CHECK(w.ec2().describe_launch_templates(call, {})->launch_templates.size() == 2);
  CHECK(w.ec2()
            .describe_launch_templates(call, {.launch_template_ids = {b}})
            ->launch_templates.at(0)
            .launch_template_name
        == "plain");
  CHECK(w.ec2()
            .describe_launch_templates(call, {.launch_template_names = {"tagged"}})
            ->launch_templates.at(0)
            .launch_template_id
        == a);
  const auto by_tag = w.ec2().describe_launch_templates(
      call, {.filters = {{.name = "tag:CreatedBy", .values = {"EC2 Image Builder"}}}});
  REQUIRE(by_tag->launch_templates.size() == 1);
  CHECK(by_tag->launch_templates[0].tags.at(0).key == "CreatedBy");
  CHECK(w.ec2()
            .describe_launch_templates(
                call, {.filters = {{.name = "launch-template-name", .values = {"pl*"}}}})
            ->launch_templates.size()
        == 1);
  CHECK(w.ec2()
            .describe_launch_templates(call, {.filters = {{.name = "x", .values = {"y"}}}})
            .error()
            .code
        == "InvalidParameterValue");
  CHECK(w.ec2()
            .describe_launch_templates(call, {.launch_template_ids = {"lt-0123456789abcdef0"}})
            .error()
            .code
        == "InvalidLaunchTemplateId.NotFound");
  const auto page = w.ec2().describe_launch_templates(call, {.max_results = 1});
  CHECK(page->launch_templates.size() == 1);
  CHECK(page->next_token.has_value());

  sim::Result<api::ec2::DeleteLaunchTemplateOutput> deleted =
      w.ec2().delete_launch_template(call, {.launch_template_name = "plain"});
  REQUIRE(deleted.ok());
  CHECK(deleted->launch_template->launch_template_id == b);
  CHECK(w.ec2().describe_launch_templates(call, {})->launch_templates.size() == 1);
  CHECK(w.ec2().delete_launch_template(call, {.launch_template_id = b}).error().code
        == "InvalidLaunchTemplateId.NotFound");
  // The name is free again.
  CHECK(w.ec2().create_launch_template(call, template_input("plain")).ok());
}

TEST_CASE("Launch templates: Image Builder's cross-account policy hinges on the CreatedBy tag",
          "[ec2]") {
  Ec2World w;
  const api::CallContext owner = w.root(kTargetAccount);
  api::ec2::CreateLaunchTemplateInput tagged = template_input("by-image-builder");
  tagged.tag_specifications = {{.resource_type = "launch-template",
                                .tags = {{.key = "CreatedBy", .value = "EC2 Image Builder"}}}};
  const std::string tagged_id =
      *w.ec2().create_launch_template(owner, tagged)->launch_template->launch_template_id;
  const std::string plain_id = *w.ec2()
                                    .create_launch_template(owner, template_input("by-hand"))
                                    ->launch_template->launch_template_id;

  const std::string role_arn =
      Ec2World::role_arn(kTargetAccount, "EC2ImageBuilderDistributionCrossAccountRole");
  const api::CallContext role =
      w.role(kTargetAccount, "EC2ImageBuilderDistributionCrossAccountRole");
  w.authz().attach(role_arn,
                   R"({"Version":"2012-10-17","Statement":[)"
                   R"({"Effect":"Allow","Action":["ec2:CreateLaunchTemplateVersion",)"
                   R"("ec2:ModifyLaunchTemplate"],"Resource":"*","Condition":{"StringEquals":)"
                   R"({"aws:ResourceTag/CreatedBy":"EC2 Image Builder"}}},)"
                   R"({"Effect":"Allow","Action":"ec2:DescribeLaunchTemplates","Resource":"*"},)"
                   R"({"Effect":"Allow","Action":"ec2:CreateTags","Resource":)"
                   R"("arn:aws:ec2:*:*:launch-template/*","Condition":{"StringEquals":)"
                   R"({"aws:RequestTag/CreatedBy":"EC2 Image Builder"}}}]})");
  const api::ec2::RequestLaunchTemplateData data{.image_id = "ami-0dddddddddddddddd"};

  sim::Result<api::ec2::CreateLaunchTemplateVersionOutput> ok =
      w.ec2().create_launch_template_version(role,
                                             {.launch_template_id = tagged_id,
                                              .source_version = "$Default",
                                              .launch_template_data = data});
  REQUIRE(ok.ok());
  CHECK(w.ec2()
            .modify_launch_template(role, {.launch_template_id = tagged_id, .default_version = "2"})
            .ok());
  CHECK(w.ec2().describe_launch_templates(role, {}).ok());

  sim::Result<api::ec2::CreateLaunchTemplateVersionOutput> denied =
      w.ec2().create_launch_template_version(
          role, {.launch_template_id = plain_id, .launch_template_data = data});
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().code == "UnauthorizedOperation");
  CHECK_THAT(denied.error().explanation, Catch::Contains("ec2:CreateLaunchTemplateVersion"));
  CHECK(w.ec2()
            .modify_launch_template(role, {.launch_template_id = plain_id, .default_version = "1"})
            .error()
            .code
        == "UnauthorizedOperation");
  // Tagging the template with the request tag the policy asks for lets the role in.
  CHECK(w.ec2()
            .create_tags(
                role, {.resources = {plain_id}, .tags = {{.key = "CreatedBy", .value = "someone"}}})
            .error()
            .code
        == "UnauthorizedOperation");
  REQUIRE(w.ec2()
              .create_tags(role,
                           {.resources = {plain_id},
                            .tags = {{.key = "CreatedBy", .value = "EC2 Image Builder"}}})
              .ok());
  CHECK(w.ec2()
            .create_launch_template_version(
                role, {.launch_template_id = plain_id, .launch_template_data = data})
            .ok());
  // The role may not create templates at all, tagged or not.
  CHECK(w.ec2().create_launch_template(role, tagged).error().code == "UnauthorizedOperation");
}

TEST_CASE("Launch templates: request tags condition CreateLaunchTemplate", "[ec2]") {
  Ec2World w;
  const std::string role_arn = Ec2World::role_arn(kTargetAccount, "Builder");
  const api::CallContext role = w.role(kTargetAccount, "Builder");
  w.authz().attach(role_arn,
                   R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                   R"("Action":["ec2:CreateLaunchTemplate","ec2:CreateTags"],"Resource":"*",)"
                   R"("Condition":{"StringEquals":{"aws:RequestTag/Team":"platform"}}}]})");
  api::ec2::CreateLaunchTemplateInput in = template_input("team-template");
  CHECK(w.ec2().create_launch_template(role, in).error().code == "UnauthorizedOperation");
  in.tag_specifications = {
      {.resource_type = "launch-template", .tags = {{.key = "Team", .value = "platform"}}}};
  CHECK(w.ec2().create_launch_template(role, in).ok());
  in.launch_template_name = "wrong-type";
  in.tag_specifications[0].resource_type = "instance";
  CHECK(w.ec2().create_launch_template(role, in).error().code == "InvalidParameterValue");
  in.tag_specifications[0].resource_type = "launch-template";
  in.dry_run = true;
  CHECK(w.ec2().create_launch_template(role, in).error().code == "DryRunOperation");
  CHECK(w.ec2().describe_launch_templates(w.root(kTargetAccount), {})->launch_templates.size()
        == 1);
}

TEST_CASE("Launch templates: seeds with versions and a default", "[ec2]") {
  Ec2World w;
  Ec2Model::SeedLaunchTemplate seed;
  seed.owner = kTargetAccount;
  seed.region = kUsEast1;
  seed.name = "seeded";
  seed.launch_template_id = "lt-0123456789abcdef0";
  seed.versions = {{.image_id = "ami-0aaaaaaaaaaaaaaaa"}, {.image_id = "ami-0bbbbbbbbbbbbbbbb"}};
  seed.default_version = 2;
  seed.tags = {{"CreatedBy", "EC2 Image Builder"}};
  REQUIRE(w.ec2().seed_launch_template(seed).ok());
  const LaunchTemplateRecord* lt =
      w.ec2().find_launch_template(kTargetAccount, kUsEast1, "lt-0123456789abcdef0");
  REQUIRE(lt != nullptr);
  CHECK(lt->latest_version == 2);
  CHECK(lt->default_version == 2);
  CHECK(w.ec2().seed_launch_template(seed).error().code
        == "InvalidLaunchTemplateName.AlreadyExistsException");
  seed.name = "other";
  seed.default_version = 3;
  CHECK_FALSE(w.ec2().seed_launch_template(seed).ok());
}

}  // namespace
}  // namespace ibsim::mock_aws::ec2

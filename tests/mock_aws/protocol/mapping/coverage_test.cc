// The typed structs and the wire stay in sync: for every operation ibsim serves
// (scripts/shapes/operations.txt), every member of its botocore input and output shapes, walked
// recursively through the generated tables, is named by the typed struct's field table with a
// compatible type — or is listed below as deliberately not modelled — and every table entry names
// a member botocore has. A field table must also name every C++ data member of its struct.

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>

#include "mock_aws/protocol/mapping/mapping.h"
#include "mock_aws/protocol/shape_model.h"

namespace ibsim::mock_aws::protocol::mapping {
namespace {

// Operations served without a mapping yet.
constexpr std::string_view kUnmappedOperations[] = {
    // api::ec2 has no DescribeRegions types yet (the EC2 model does not implement it).
    "ec2 DescribeRegions",
};

// botocore members the typed structs deliberately leave out: features ibsim does not model. A
// Document member that is not in a table is ignored when decoding, as AWS's own parsers would if
// the model did not know it; encoding never writes it.
struct Omission {
  std::string_view service;
  std::string_view shape;    // botocore shape name
  std::string_view members;  // space-separated botocore member names
};

constexpr Omission kOmissions[] = {
    // STS: trusted context assertions (IAM Identity Center) are not modelled.
    {"sts", "AssumeRoleRequest", "ProvidedContexts"},
    // IAM: last-used tracking is not modelled.
    {"iam", "Role", "RoleLastUsed"},
    {"iam", "User", "PasswordLastUsed"},
    // KMS: only symmetric AWS_KMS keys in one region; no custom key stores, imported or rotated
    // key material, asymmetric/HMAC keys, Nitro Enclave recipients or dry-run modifiers.
    {"kms",
     "KeyMetadata",
     "ValidTo CustomKeyStoreId CloudHsmClusterId ExpirationModel SigningAlgorithms "
     "KeyAgreementAlgorithms MultiRegionConfiguration MacAlgorithms XksKeyConfiguration "
     "CurrentKeyMaterialId"},
    {"kms", "DecryptRequest", "Recipient DryRunModifiers"},
    {"kms", "DecryptResponse", "CiphertextForRecipient KeyMaterialId"},
    {"kms", "ReEncryptRequest", "DryRunModifiers"},
    {"kms", "ReEncryptResponse", "SourceKeyMaterialId DestinationKeyMaterialId"},
    {"kms", "GenerateDataKeyRequest", "Recipient"},
    {"kms", "GenerateDataKeyResponse", "CiphertextForRecipient KeyMaterialId"},
    {"kms", "GenerateDataKeyWithoutPlaintextResponse", "KeyMaterialId"},
    // EC2: no Outposts, Local Zones, volume initialization rates or EBS cards.
    {"ec2",
     "EbsBlockDevice",
     "OutpostArn AvailabilityZone VolumeInitializationRate AvailabilityZoneId EbsCardIndex"},
    {"ec2", "LaunchTemplateEbsBlockDeviceRequest", "VolumeInitializationRate EbsCardIndex"},
    {"ec2", "LaunchTemplateEbsBlockDevice", "VolumeInitializationRate EbsCardIndex"},
    // EC2: snapshots have no archive tier, fast-snapshot-restore or time-based copy state.
    {"ec2",
     "Snapshot",
     "OutpostArn RestoreExpiryTime TransferType CompletionDurationMinutes CompletionTime"},
    // EC2: launch template data is the subset Image Builder changes and versions inherit;
    // instances are bookkeeping for builds (no networking, placement, licensing, hibernation,
    // capacity reservations or managed-resource operators).
    {"ec2",
     "RequestLaunchTemplateData",
     "IamInstanceProfile NetworkInterfaces Monitoring Placement ElasticGpuSpecifications "
     "ElasticInferenceAccelerators InstanceMarketOptions CreditSpecification CpuOptions "
     "CapacityReservationSpecification LicenseSpecifications HibernationOptions MetadataOptions "
     "EnclaveOptions InstanceRequirements PrivateDnsNameOptions MaintenanceOptions DisableApiStop "
     "Operator NetworkPerformanceOptions SecondaryInterfaces"},
    {"ec2",
     "ResponseLaunchTemplateData",
     "IamInstanceProfile NetworkInterfaces Monitoring Placement ElasticGpuSpecifications "
     "ElasticInferenceAccelerators InstanceMarketOptions CreditSpecification CpuOptions "
     "CapacityReservationSpecification LicenseSpecifications HibernationOptions MetadataOptions "
     "EnclaveOptions InstanceRequirements PrivateDnsNameOptions MaintenanceOptions DisableApiStop "
     "Operator NetworkPerformanceOptions SecondaryInterfaces"},
    {"ec2", "CreateLaunchTemplateRequest", "Operator"},
    {"ec2", "LaunchTemplate", "Operator"},
    {"ec2", "LaunchTemplateVersion", "Operator"},
    {"ec2", "DescribeLaunchTemplatesRequest", "IncludeManagedResources"},
    {"ec2", "DescribeLaunchTemplateVersionsRequest", "IncludeManagedResources"},
    {"ec2", "DescribeInstancesRequest", "IncludeManagedResources"},
    {"ec2",
     "RunInstancesRequest",
     "Ipv6AddressCount Ipv6Addresses KernelId Monitoring Placement RamdiskId SecurityGroups "
     "ElasticGpuSpecification ElasticInferenceAccelerators InstanceMarketOptions "
     "CreditSpecification CpuOptions CapacityReservationSpecification HibernationOptions "
     "LicenseSpecifications MetadataOptions EnclaveOptions PrivateDnsNameOptions "
     "MaintenanceOptions DisableApiStop EnablePrimaryIpv6 NetworkPerformanceOptions Operator "
     "SecondaryInterfaces DisableApiTermination InstanceInitiatedShutdownBehavior "
     "PrivateIpAddress AdditionalInfo NetworkInterfaces IamInstanceProfile EbsOptimized"},
    {"ec2",
     "Placement",
     "AvailabilityZoneId Affinity GroupName PartitionNumber HostId Tenancy SpreadDomain "
     "HostResourceGroupArn GroupId"},
    {"ec2",
     "Instance",
     "BlockDeviceMappings EbsOptimized EnaSupport Hypervisor IamInstanceProfile InstanceLifecycle "
     "ElasticGpuAssociations ElasticInferenceAcceleratorAssociations NetworkInterfaces OutpostArn "
     "SecurityGroups SourceDestCheck SpotInstanceRequestId SriovNetSupport CpuOptions "
     "CapacityBlockId CapacityReservationId CapacityReservationSpecification HibernationOptions "
     "Licenses MetadataOptions EnclaveOptions BootMode UsageOperation UsageOperationUpdateTime "
     "PrivateDnsNameOptions Ipv6Address TpmSupport MaintenanceOptions CurrentInstanceBootMode "
     "NetworkPerformanceOptions Operator SecondaryInterfaces PrivateDnsName PublicDnsName "
     "ProductCodes KernelId RamdiskId Platform Monitoring SubnetId VpcId PrivateIpAddress "
     "PublicIpAddress"},
    {"ec2", "Reservation", "Groups"},
    // Image Builder: no container recipes, lifecycle policies or Marketplace components.
    {"imagebuilder", "Image", "containerRecipe lifecycleExecutionId"},
    {"imagebuilder", "ImageSummary", "lifecycleExecutionId"},
    {"imagebuilder", "Component", "productCodes"},
    {"imagebuilder", "ComponentVersion", "productCodes"},
};

std::vector<std::string> split_words(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  std::string word;
  while (in >> word) {
    out.push_back(word);
  }
  return out;
}

// "service.Shape.Member" for every omission.
std::set<std::string> omission_keys() {
  std::set<std::string> keys;
  for (const Omission& o : kOmissions) {
    for (const std::string& member : split_words(o.members)) {
      keys.insert(std::string(o.service) + "." + std::string(o.shape) + "." + member);
    }
  }
  return keys;
}

struct ServedOperation {
  std::string service;
  std::string operation;
};

std::vector<ServedOperation> served_operations() {
  std::ifstream in(std::string(IBSIM_SOURCE_DIR) + "/scripts/shapes/operations.txt");
  REQUIRE(in.good());
  std::vector<ServedOperation> out;
  std::string line;
  while (std::getline(in, line)) {
    const auto words = split_words(line);
    if (words.size() == 2 && words[0].front() != '#') {
      out.push_back({words[0], words[1]});
    }
  }
  return out;
}

std::string_view kind_name(ValueKind kind) {
  switch (kind) {
    case ValueKind::kStructure:
      return "a structure";
    case ValueKind::kList:
      return "a list";
    case ValueKind::kMap:
      return "a map";
    case ValueKind::kString:
      return "a string";
    case ValueKind::kEnum:
      return "an enum";
    case ValueKind::kInteger:
      return "an integer";
    case ValueKind::kBoolean:
      return "a boolean";
    case ValueKind::kDouble:
      return "a floating-point number";
    case ValueKind::kBlob:
      return "bytes";
    case ValueKind::kTimestamp:
      return "a timestamp";
  }
  return "?";
}

std::string_view shape_type_name(ShapeType type) {
  switch (type) {
    case ShapeType::kStructure:
      return "structure";
    case ShapeType::kList:
      return "list";
    case ShapeType::kMap:
      return "map";
    case ShapeType::kString:
      return "string";
    case ShapeType::kInteger:
      return "integer";
    case ShapeType::kLong:
      return "long";
    case ShapeType::kBoolean:
      return "boolean";
    case ShapeType::kTimestamp:
      return "timestamp";
    case ShapeType::kBlob:
      return "blob";
    case ShapeType::kFloat:
      return "float";
    case ShapeType::kDouble:
      return "double";
  }
  return "?";
}

// Walks a botocore shape and a typed description side by side, collecting every difference.
class Checker {
 public:
  Checker(const ServiceModel& service, std::set<std::string>& omissions_used)
      : s_(service), omissions_used_(omissions_used) {}

  std::vector<std::string> problems;

  void structure(const ShapeModel& shape, const StructInfo& info, const std::string& path) {
    const std::string shape_name(s_.str(shape.name));
    if (!visited_.insert(shape_name + " " + std::string(info.name)).second) {
      return;  // Checked already (shapes reached along several paths).
    }
    if (info.fields.size() != info.cpp_member_count) {
      problems.push_back(std::string(info.name) + " has " + std::to_string(info.cpp_member_count)
                         + " data members but its IBSIM_SHAPE table names "
                         + std::to_string(info.fields.size()));
    }
    std::set<std::string_view> wire_names;
    for (const FieldInfo& f : info.fields) {
      if (!wire_names.insert(f.wire_name).second) {
        problems.push_back(std::string(info.name) + " names '" + std::string(f.wire_name)
                           + "' twice");
      }
      if (find_member(s_, shape, f.wire_name) == nullptr) {
        problems.push_back(std::string(info.name) + "::" + std::string(f.cpp_name)
                           + " is mapped to '" + std::string(f.wire_name)
                           + "', which botocore shape " + shape_name + " does not have");
      }
    }
    for (const MemberModel& m : s_.members_of(shape)) {
      const std::string member(s_.str(m.name));
      const std::string member_path = path + "." + member;
      const FieldInfo* f = info.find(member);
      if (f == nullptr) {
        const std::string key = std::string(s_.name) + "." + shape_name + "." + member;
        if (omission_keys_.count(key) != 0) {
          omissions_used_.insert(key);
        } else {
          problems.push_back(member_path + ": botocore member " + shape_name + "." + member
                             + " is not in the table of " + std::string(info.name));
        }
        continue;
      }
      value(s_.target(m), f->type, member_path);
    }
  }

  void value(const ShapeModel& shape, const TypeInfo& type, const std::string& path) {
    const auto mismatch = [&] {
      problems.push_back(path + ": botocore " + std::string(shape_type_name(shape.type))
                         + " (shape " + std::string(s_.str(shape.name))
                         + ") but the typed member is " + std::string(kind_name(type.kind)));
    };
    switch (shape.type) {
      case ShapeType::kStructure:
        if (type.kind != ValueKind::kStructure) {
          return mismatch();
        }
        return structure(shape, type.structure(), path);
      case ShapeType::kList:
        if (type.kind != ValueKind::kList) {
          return mismatch();
        }
        return value(s_.target(s_.members_of(shape)[0]), *type.element, path + "[]");
      case ShapeType::kMap: {
        if (type.kind != ValueKind::kMap) {
          return mismatch();
        }
        const auto kv = s_.members_of(shape);
        if (s_.target(kv[0]).type != ShapeType::kString) {
          problems.push_back(path + ": map keys are not strings in botocore");
        }
        return value(s_.target(kv[1]), *type.element, path + "{}");
      }
      case ShapeType::kString:
        if (type.kind != ValueKind::kString && type.kind != ValueKind::kEnum) {
          mismatch();
        }
        return;
      case ShapeType::kInteger:
      case ShapeType::kLong: {
        if (type.kind != ValueKind::kInteger) {
          return mismatch();
        }
        const bool is_long = shape.type == ShapeType::kLong;
        const int64_t lo = (shape.flags & kShapeHasMin) != 0 ? shape.min
                           : is_long                         ? std::numeric_limits<int64_t>::min()
                                                             : std::numeric_limits<int32_t>::min();
        const int64_t hi = (shape.flags & kShapeHasMax) != 0 ? shape.max
                           : is_long                         ? std::numeric_limits<int64_t>::max()
                                                             : std::numeric_limits<int32_t>::max();
        if (type.min > lo || type.max < hi) {
          problems.push_back(path + ": botocore allows " + std::to_string(lo) + ".."
                             + std::to_string(hi) + " but the typed member holds "
                             + std::to_string(type.min) + ".." + std::to_string(type.max));
        }
        return;
      }
      case ShapeType::kBoolean:
        if (type.kind != ValueKind::kBoolean) {
          mismatch();
        }
        return;
      case ShapeType::kTimestamp:
        if (type.kind != ValueKind::kTimestamp) {
          mismatch();
        }
        return;
      case ShapeType::kBlob:
        if (type.kind != ValueKind::kBlob) {
          mismatch();
        }
        return;
      case ShapeType::kFloat:
      case ShapeType::kDouble:
        if (type.kind != ValueKind::kDouble) {
          mismatch();
        }
        return;
    }
  }

 private:
  const ServiceModel& s_;
  std::set<std::string>& omissions_used_;
  const std::set<std::string> omission_keys_ = omission_keys();
  std::set<std::string> visited_;
};

bool is_unmapped(const ServedOperation& op) {
  const std::string key = op.service + " " + op.operation;
  return std::find(std::begin(kUnmappedOperations), std::end(kUnmappedOperations), key)
         != std::end(kUnmappedOperations);
}

// Checks every served operation of `service_name` ("" for all); returns the problems.
std::vector<std::string> check_service(std::string_view service_name,
                                       std::set<std::string>& omissions_used) {
  std::vector<std::string> problems;
  for (const ServedOperation& op : served_operations()) {
    if (!service_name.empty() && op.service != service_name) {
      continue;
    }
    const auto service = find_service(op.service);
    REQUIRE(service.has_value());
    const auto model_op = find_operation(*service, op.operation);
    REQUIRE(model_op.has_value());
    const OperationInfo* mapped = find_mapped_operation(*service, op.operation);
    if (mapped == nullptr) {
      if (!is_unmapped(op)) {
        problems.push_back(op.service + " " + op.operation + ": no mapping (add it to " + op.service
                           + "_tables.cc)");
      }
      continue;
    }
    if (is_unmapped(op)) {
      problems.push_back(op.service + " " + op.operation
                         + " is mapped now: remove it from kUnmappedOperations");
    }
    Checker checker(model_op->service(), omissions_used);
    const std::string where = op.service + " " + op.operation;
    if (model_op->input() != nullptr) {
      checker.structure(*model_op->input(), mapped->input(), where + " input");
    } else if (!mapped->input().fields.empty()) {
      problems.push_back(where + ": botocore has no input but the typed input has members");
    }
    if (model_op->output() != nullptr) {
      checker.structure(*model_op->output(), mapped->output(), where + " output");
    } else if (!mapped->output().fields.empty()) {
      problems.push_back(where + ": botocore has no output but the typed output has members");
    }
    problems.insert(problems.end(), checker.problems.begin(), checker.problems.end());
  }
  return problems;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) {
    out += "\n  " + line;
  }
  return out;
}

void check_service_coverage(std::string_view service_name) {
  std::set<std::string> used;
  const auto problems = check_service(service_name, used);
  INFO("differences between the typed structs and botocore:" << joined(problems));
  CHECK(problems.empty());
}

TEST_CASE("Coverage: Image Builder typed structs name every botocore member", "[mapping]") {
  check_service_coverage("imagebuilder");
}

TEST_CASE("Coverage: EC2 typed structs name every botocore member", "[mapping]") {
  check_service_coverage("ec2");
}

TEST_CASE("Coverage: KMS typed structs name every botocore member", "[mapping]") {
  check_service_coverage("kms");
}

TEST_CASE("Coverage: IAM typed structs name every botocore member", "[mapping]") {
  check_service_coverage("iam");
}

TEST_CASE("Coverage: STS typed structs name every botocore member", "[mapping]") {
  check_service_coverage("sts");
}

TEST_CASE("Coverage: SSM typed structs name every botocore member", "[mapping]") {
  check_service_coverage("ssm");
}

TEST_CASE("Coverage: every mapped operation is served and every omission is still needed",
          "[mapping]") {
  std::set<std::string> used;
  static_cast<void>(check_service("", used));
  std::vector<std::string> stale;
  for (const std::string& key : omission_keys()) {
    if (used.count(key) == 0) {
      stale.push_back(key + " is described now (or no longer in botocore): remove the omission");
    }
  }
  const auto served = served_operations();
  for (const ServiceId service : kAllServices) {
    for (const OperationInfo& op : mapped_operations(service)) {
      const std::string name(service_model(service).name);
      const bool listed = std::any_of(served.begin(), served.end(), [&](const auto& s) {
        return s.service == name && s.operation == op.name;
      });
      if (!listed) {
        stale.push_back(name + " " + std::string(op.name)
                        + " is mapped but not in scripts/shapes/operations.txt");
      }
    }
  }
  INFO(joined(stale));
  CHECK(stale.empty());
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol::mapping

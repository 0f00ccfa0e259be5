#include "src/faults/fault_layer.h"

#include <utility>

namespace ibsim::faults {

FaultLayer::FaultLayer(mock_aws::services::World& world,
                       client::ClientFactory& inner,
                       FaultPlan plan)
    : world_(world),
      injector_(world.context(), std::move(plan)),
      clients_(inner, injector_),
      events_(world, injector_.plan().events) {
  world_.ec2().set_copy_step_hook([this](const mock_aws::ec2::Ec2Model::CopyStepView& view) {
    return injector_.on_copy_step(view);
  });
}

FaultLayer::~FaultLayer() {
  world_.ec2().set_copy_step_hook(nullptr);
}

}  // namespace ibsim::faults

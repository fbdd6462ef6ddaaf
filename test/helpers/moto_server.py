"""moto's server, with the parts of CloudFormation that AWS runs server-side and moto lacks.

Usage: python3 test/helpers/moto_server.py -H 127.0.0.1 -p PORT   (the arguments of moto.server)

The tests deploy the lottery's stack here as they would to AWS. What moto 5 does not do, and
this adds, is only what CloudFormation itself does on AWS, so that the CLI's side can be tested:

- the SAM transform (Transform: AWS::Serverless-2016-10-31), applied with samtranslator, the
  library AWS's transform is built on (cfn-lint depends on it, so it is installed with cfn-lint);
- one event per resource (CREATE_IN_PROGRESS, CREATE_COMPLETE, CREATE_FAILED with the reason,
  DELETE_SKIPPED …), where moto records only the stack's own events;
- a failed creation rolls back (the resources created so far are deleted, the stack ends in
  ROLLBACK_COMPLETE) instead of moto's HTTP 500;
- DeletionPolicy RetainExceptOnCreate: kept when the stack is deleted, deleted by the rollback of
  the creation that made it (moto knows only Retain);
- an AWS::ApiGateway::RestApi's OpenAPI Body is imported (moto's own ImportRestApi/PutRestApi),
  where moto's CloudFormation makes an empty API whose deployment then fails.

Everything else is moto's own, with its limits (docs/aws.md: what the tests check without AWS).
"""

import functools
import os
import sys

from moto.apigateway.models import RestAPI, apigateway_backends
from moto.cloudformation import models, parsing
from moto.cloudformation.models import ChangeSet, Event, Stack, cloudformation_backends
from moto.server import main
from samtranslator.translator.managed_policy_translator import ManagedPolicyLoader
from samtranslator.translator.transform import transform

SAM = "AWS::Serverless-2016-10-31"


class NoManagedPolicies(ManagedPolicyLoader):
    """The template names no AWS managed policy, so SAM never needs to look one up in IAM."""

    def __init__(self):
        pass

    def load(self):
        return {}


def expand(template):
    transforms = template.get("Transform") if isinstance(template, dict) else None
    if transforms == SAM or (isinstance(transforms, list) and SAM in transforms):
        return transform(template, {}, NoManagedPolicies())
    return template


_parse_template = Stack.parse_template


@staticmethod
def parse_template(template):
    return expand(_parse_template(template))


Stack.parse_template = parse_template

_change_set_parse = ChangeSet._parse_template


def change_set_parse(self):
    _change_set_parse(self)
    self.template_dict = expand(self.template_dict)


ChangeSet._parse_template = change_set_parse


def stack_of(resources_map):
    if getattr(resources_map, "harness_stack", None) is not None:
        return resources_map.harness_stack
    backend = cloudformation_backends[resources_map._account_id][resources_map._region_name]
    return backend.stacks.get(resources_map.stack_id) or backend.deleted_stacks.get(resources_map.stack_id)


def add_event(stack, logical_id, resource_type, status, physical_id="", reason=None):
    stack.events.append(
        Event(
            stack_id=stack.stack_id,
            stack_name=stack.name,
            logical_resource_id=logical_id,
            physical_resource_id=physical_id,
            resource_type=resource_type,
            resource_status=status,
            resource_status_reason=reason,
            resource_properties=None,
        )
    )


def physical_id(resource):
    return str(getattr(resource, "physical_resource_id", "") or "")


def with_events(action, original):
    @functools.wraps(original)
    def wrapper(logical_id, resource_json, resources_map, account_id, region_name):
        stack = stack_of(resources_map)
        condition = resource_json.get("Condition")
        if stack is None or (condition and not resources_map.lazy_condition_map[condition]):
            return original(logical_id, resource_json, resources_map, account_id, region_name)
        resource_type = resource_json["Type"]
        add_event(stack, logical_id, resource_type, f"{action}_IN_PROGRESS")
        try:
            resource = original(logical_id, resource_json, resources_map, account_id, region_name)
        except Exception as error:
            reason = getattr(error, "message", None) or str(error)
            add_event(stack, logical_id, resource_type, f"{action}_FAILED", reason=reason)
            stack.harness_failed = [*getattr(stack, "harness_failed", []), logical_id]
            raise
        unsupported = None if parsing.resource_class_from_type(resource_type) else f"moto does not implement {resource_type}: not created"
        add_event(stack, logical_id, resource_type, f"{action}_COMPLETE", physical_id(resource), unsupported)
        return resource

    return wrapper


parsing.parse_and_create_resource = with_events("CREATE", parsing.parse_and_create_resource)
parsing.parse_and_update_resource = with_events("UPDATE", parsing.parse_and_update_resource)

_delete_resource = parsing.ResourceMap._delete_resource


def delete_resource(self, parsed_resource, resource_json):
    stack = stack_of(self)
    logical_id = getattr(parsed_resource, "logical_resource_id", "")
    resource_type = resource_json["Type"]
    if stack is not None:
        add_event(stack, logical_id, resource_type, "DELETE_IN_PROGRESS", physical_id(parsed_resource))
    _delete_resource(self, parsed_resource, resource_json)
    if stack is not None:
        add_event(stack, logical_id, resource_type, "DELETE_COMPLETE", physical_id(parsed_resource))


parsing.ResourceMap._delete_resource = delete_resource


def stack_delete(self):
    """Moto's Stack.delete, with an event for each resource kept, and RetainExceptOnCreate
    keeping a resource when its stack is deleted, as Retain does."""
    self._add_stack_event("DELETE_IN_PROGRESS", resource_status_reason="User Initiated")
    # The backend has already let go of the stack: the resource events need to find it.
    self.resource_map.harness_stack = self
    for logical_id, resource in self.resource_map._resource_json_map.items():
        if resource.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate"):
            resource["DeletionPolicy"] = "Retain"
            parsed = self.resource_map._parsed_resources.get(logical_id)
            add_event(self, logical_id, resource["Type"], "DELETE_SKIPPED", physical_id(parsed))
    self.resource_map.delete()
    self._add_stack_event("DELETE_COMPLETE")
    self.status = "DELETE_COMPLETE"


Stack.delete = stack_delete

_execute_change_set = models.CloudFormationBackend.execute_change_set


def execute_change_set(self, change_set_name, stack_name=None):
    """A creation that fails rolls back and ends in ROLLBACK_COMPLETE, as on AWS. One that
    succeeds has the outputs and description of its template (moto keeps those of the empty
    template a CREATE change set starts from)."""
    change_set = self.describe_change_set(change_set_name)
    stack = self.stacks[change_set.stack_id]
    try:
        _execute_change_set(self, change_set_name, stack_name)
    except Exception:
        if change_set.change_set_type != "CREATE":
            stack.status = "UPDATE_FAILED"
            stack._add_stack_event("UPDATE_FAILED", resource_status_reason="moto cannot roll back an update")
            raise
        failed = ", ".join(getattr(stack, "harness_failed", []))
        stack.status = "ROLLBACK_IN_PROGRESS"
        stack._add_stack_event("ROLLBACK_IN_PROGRESS", resource_status_reason=f"The following resource(s) failed to create: [{failed}]. Rollback requested by user.")
        stack.resource_map._resource_json_map = {
            logical_id: resource
            for logical_id, resource in stack.resource_map._resource_json_map.items()
            if logical_id in stack.resource_map._parsed_resources
        }
        stack.resource_map.delete()
        stack.status = "ROLLBACK_COMPLETE"
        stack._add_stack_event("ROLLBACK_COMPLETE")
        change_set.execution_status = "EXECUTE_FAILED"
        return
    stack._parse_template()
    stack.description = stack.template_dict.get("Description")
    stack.output_map = stack._create_output_map()


models.CloudFormationBackend.execute_change_set = execute_change_set

_create_rest_api = RestAPI.create_from_cloudformation_json.__func__


@classmethod
def create_rest_api(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
    api = _create_rest_api(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
    body = cloudformation_json["Properties"].get("Body")
    if body:
        apigateway_backends[account_id][region_name].put_rest_api(api.id, body, fail_on_warnings=False)
    return api


RestAPI.create_from_cloudformation_json = create_rest_api

if __name__ == "__main__":
    # SAM's ARNs take the partition from the region it is told of.
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    sys.exit(main(sys.argv[1:]))

/**
 * New-file templates as VS Code snippet text ($1… tab stops with placeholders). The shapes are exactly what
 * `aws ec2 create-fleet --cli-input-json` and `aws ec2 create-launch-template --cli-input-json` take.
 */
export const FLEET_FILE_SNIPPET = `{
\t"Type": "instant",
\t"TargetCapacitySpecification": {
\t\t"TotalTargetCapacity": \${1:1},
\t\t"OnDemandTargetCapacity": \${1:1},
\t\t"SpotTargetCapacity": 0,
\t\t"DefaultTargetCapacityType": "on-demand"
\t},
\t"OnDemandOptions": {
\t\t"AllocationStrategy": "prioritized",
\t\t"SingleInstanceType": true,
\t\t"SingleAvailabilityZone": true,
\t\t"MinTargetCapacity": \${1:1}
\t},
\t"LaunchTemplateConfigs": [
\t\t{
\t\t\t"LaunchTemplateSpecification": {
\t\t\t\t"LaunchTemplateId": "\${2:lt-0123456789abcdef0}",
\t\t\t\t"Version": "\${3:1}"
\t\t\t},
\t\t\t"Overrides": [
\t\t\t\t{ "InstanceType": "\${4:m5.2xlarge}", "WeightedCapacity": 1.0, "Priority": 1.0 },
\t\t\t\t{ "InstanceType": "\${5:c5.2xlarge}", "WeightedCapacity": 1.0, "Priority": 2.0 },
\t\t\t\t{ "InstanceType": "\${6:m5.large}", "WeightedCapacity": 0.25, "Priority": 3.0 }
\t\t\t]
\t\t}
\t]
}
`;

export const LAUNCH_TEMPLATE_FILE_SNIPPET = `{
\t"LaunchTemplateName": "\${1:outpost-workload}",
\t"LaunchTemplateData": {
\t\t"ImageId": "\${2:<YOUR-AMI>}",
\t\t"NetworkInterfaces": [{ "DeviceIndex": 0, "SubnetId": "\${3:<YOUR-OUTPOST-SUBNET>}" }],
\t\t"Placement": { "AvailabilityZone": "\${4:<YOUR-OUTPOST-AZ>}" },
\t\t"TagSpecifications": [
\t\t\t{ "ResourceType": "instance", "Tags": [{ "Key": "\${5:workload}", "Value": "\${6:outposts-fleet}" }] }
\t\t]
\t}
}
`;

/** The snippet with every tab stop replaced by its default text (for the CLI and tests). */
export function expandSnippet(snippet: string): string {
  return snippet.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\t/g, '  ');
}

import { buildConfig, type HandoffConfig } from '../../bot/config/load-config.js';

/** A realistic two-workflow config for tests: a clinic line and a billing line. */
export const TEST_CONFIG_DOC = {
  retention_days: 30,
  workflows: [
    {
      id: 'clinic-after-hours',
      name: 'Clinic after-hours line',
      owner_channel: 'C0CLINIC01',
      escalation_channel: 'C0ONCALL01',
      escalation_mention: 'S0ONCALL01',
      sms_to: ['+15555550100'],
      callback_hosts: ['127.0.0.1'],
      escalate_after: { urgent: '5m', high: '30m' },
      fields: [
        { name: 'patient_name', label: 'Patient', type: 'text', required: true },
        { name: 'symptoms', type: 'text', required: false, sensitive: true },
        { name: 'date_of_birth', type: 'date', required: false, sensitive: true },
        { name: 'callback_number', label: 'Callback number', type: 'phone', required: false },
        { name: 'preferred_clinic', type: 'enum', values: ['downtown', 'northside'], required: false },
        { name: 'visits', type: 'number', required: false },
      ],
      reasons: {
        emergency_or_sensitive_request: {
          severity: 'urgent',
          sensitive: true,
          notify: ['slack', 'sms', 'desktop'],
          caller_message: 'I am marking this for a person now.',
        },
        appointment_change: { severity: 'low', notify: ['slack'], caller_message: 'I have passed this to the front desk.' },
      },
    },
    {
      id: 'billing',
      name: 'Billing line',
      owner_channel: 'C0BILLING1',
      escalation_channel: 'C0BILLMGR1',
      allowed_users: [],
      callback_hosts: ['127.0.0.1'],
      escalate_after: { urgent: '10m' },
      fields: [
        { name: 'account_number', type: 'text', required: true },
        { name: 'card_last4', type: 'text', required: false, sensitive: true },
      ],
      reasons: {
        billing_question: { severity: 'normal', notify: ['slack'], caller_message: 'I have passed this to our billing team.' },
      },
    },
  ],
};

export function testConfig(overrides?: (doc: typeof TEST_CONFIG_DOC) => unknown): HandoffConfig {
  const doc = structuredClone(TEST_CONFIG_DOC);
  return buildConfig(overrides ? overrides(doc) : doc);
}

export const TEST_CHANNELS = [
  { id: 'C0CLINIC01', name: 'clinic-handoffs' },
  { id: 'C0ONCALL01', name: 'clinic-oncall' },
  { id: 'C0BILLING1', name: 'billing-handoffs' },
  { id: 'C0BILLMGR1', name: 'billing-managers' },
];

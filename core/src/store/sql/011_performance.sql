-- 011: indexes for the dashboard at national scale. The provider-registration deadline runs only
-- until the family has registered with a provider: the dashboard asks for the few choices still
-- without a registration instead of walking every case that ever had a provider.
CREATE INDEX provider_choice_unregistered ON provider_choice(case_id) WHERE registered_on IS NULL;
